package dev.cmdq.smmu.linux;

import static dev.cmdq.smmu.linux.LinuxInputKey.ADDR;
import static dev.cmdq.smmu.linux.LinuxInputKey.ASID;
import static dev.cmdq.smmu.linux.LinuxInputKey.BUSY_POLL;
import static dev.cmdq.smmu.linux.LinuxInputKey.GLOBAL;
import static dev.cmdq.smmu.linux.LinuxInputKey.GRPID;
import static dev.cmdq.smmu.linux.LinuxInputKey.LEAF;
import static dev.cmdq.smmu.linux.LinuxInputKey.MSIADDR;
import static dev.cmdq.smmu.linux.LinuxInputKey.NUM;
import static dev.cmdq.smmu.linux.LinuxInputKey.RESP;
import static dev.cmdq.smmu.linux.LinuxInputKey.SCALE;
import static dev.cmdq.smmu.linux.LinuxInputKey.SID;
import static dev.cmdq.smmu.linux.LinuxInputKey.SIZE;
import static dev.cmdq.smmu.linux.LinuxInputKey.SSID;
import static dev.cmdq.smmu.linux.LinuxInputKey.SSV;
import static dev.cmdq.smmu.linux.LinuxInputKey.STAG;
import static dev.cmdq.smmu.linux.LinuxInputKey.TG;
import static dev.cmdq.smmu.linux.LinuxInputKey.TTL;
import static dev.cmdq.smmu.linux.LinuxInputKey.VMID;

import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.PriRespLayout;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import dev.cmdq.smmu.codec.CfgiEncoder;
import dev.cmdq.smmu.codec.CmdSyncEncoder;
import dev.cmdq.smmu.codec.PrefetchEncoder;
import dev.cmdq.smmu.codec.PriRespEncoder;
import dev.cmdq.smmu.codec.ResumeEncoder;
import dev.cmdq.smmu.codec.StallTermEncoder;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a kernel-style input into a command the way the kernel's {@code arm_smmu_cmdq_build_cmd}
 * (6.12-era, plus TLBI_NH_ALL from 6.13) does: for each opcode it reads exactly the union members that
 * opcode's {@code case} reads and drops every other key, and the encoders mask values as
 * {@code FIELD_PREP} does. Not thread-safe (it owns one encoder of each kind); allocation-free.
 *
 * <p>Opcodes the kernel never builds are built from the same inputs with these assumptions (no kernel
 * source defines them; they are documented so that a differing reference shows up as a vector failure,
 * not silently):
 * <ul>
 *   <li>PREFETCH_ADDR: {@code sid}, {@code size}, {@code addr} — the older kernel's {@code prefetch}
 *       struct and a 2019 patch on the list that built it;</li>
 *   <li>TLBI_NH_VAA, TLBI_EL2_VAA, TLBI_EL3_VA: the range-TLBI inputs; the encoder drops the ASID
 *       (and VMID for EL2/EL3) because these commands have no such field;</li>
 *   <li>TLBI_EL3_ALL: nothing; STALL_TERM: {@code sid}; CFGI_VMS_PIDM: {@code vmid}.</li>
 * </ul>
 */
public final class LinuxCommandBuilder
{
    private final PrefetchEncoder prefetch = new PrefetchEncoder();
    private final CfgiEncoder cfgi = new CfgiEncoder();
    private final TlbiEncoder tlbi = new TlbiEncoder();
    private final AtcInvEncoder atcInv = new AtcInvEncoder();
    private final PriRespEncoder priResp = new PriRespEncoder();
    private final ResumeEncoder resume = new ResumeEncoder();
    private final StallTermEncoder stallTerm = new StallTermEncoder();
    private final CmdSyncEncoder cmdSync = new CmdSyncEncoder();

    /**
     * Builds one command into a slot (all 16 bytes written).
     *
     * @param opcode the command.
     * @param input  the kernel inputs; keys the opcode does not read are ignored.
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @throws IllegalArgumentException for {@link Opcode#UNKNOWN} (the kernel's {@code -ENOENT}) and a
     *                                  PRI_RESP {@code resp} other than 0..2 (its {@code -EINVAL});
     *                                  the slot is left untouched.
     */
    public void build(
        final Opcode opcode, final LinuxCommandInput input, final MutableDirectBuffer buffer, final int offset)
    {
        switch (opcode)
        {
            case PREFETCH_CFG:
                prefetch.wrap(buffer, offset, opcode).sid(input.value(SID));
                break;
            case PREFETCH_ADDR:
                prefetch.wrap(buffer, offset, opcode)
                    .sid(input.value(SID))
                    .size((int)input.value(SIZE))
                    .addr(input.value(ADDR));
                break;
            case CFGI_CD:
                cfgi.wrap(buffer, offset, opcode)
                    .ssid((int)input.value(SSID))
                    .sid(input.value(SID))
                    .leaf(input.flag(LEAF));
                break;
            case CFGI_STE:
                cfgi.wrap(buffer, offset, opcode).sid(input.value(SID)).leaf(input.flag(LEAF));
                break;
            case CFGI_CD_ALL:
                cfgi.wrap(buffer, offset, opcode).sid(input.value(SID));
                break;
            case CFGI_STE_RANGE:
                cfgi.wrapAll(buffer, offset);
                break;
            case CFGI_VMS_PIDM:
                cfgi.wrap(buffer, offset, opcode).vmid((int)input.value(VMID));
                break;
            case TLBI_NH_VA:
            case TLBI_NH_VAA:
            case TLBI_EL2_VA:
            case TLBI_EL2_VAA:
            case TLBI_EL3_VA:
            case TLBI_S2_IPA:
                tlbi.wrap(buffer, offset, opcode)
                    .vmid((int)input.value(VMID))
                    .num((int)input.value(NUM))
                    .scale((int)input.value(SCALE))
                    .asid((int)input.value(ASID))
                    .leaf(input.flag(LEAF))
                    .ttl((int)input.value(TTL))
                    .tg((int)input.value(TG))
                    .addr(input.value(ADDR));
                break;
            case TLBI_NH_ASID:
            case TLBI_EL2_ASID:
            case TLBI_NH_ALL:
            case TLBI_S12_VMALL:
                tlbi.wrap(buffer, offset, opcode).asid((int)input.value(ASID)).vmid((int)input.value(VMID));
                break;
            case TLBI_EL2_ALL:
            case TLBI_EL3_ALL:
            case TLBI_NSNH_ALL:
                tlbi.wrap(buffer, offset, opcode);
                break;
            case ATC_INV:
                atcInv.wrap(buffer, offset)
                    .ssv(input.flag(SSV))
                    .global(input.flag(GLOBAL))
                    .ssid((int)input.value(SSID))
                    .sid(input.value(SID))
                    .size((int)input.value(SIZE))
                    .addr(input.value(ADDR));
                break;
            case PRI_RESP:
                final long resp = input.value(RESP);
                if (resp < PriRespLayout.RESP_DENY || resp > PriRespLayout.RESP_SUCC)
                {
                    throw new IllegalArgumentException(
                        "PRI_RESP resp=0x" + Long.toHexString(resp) + " is not DENY, FAIL or SUCC (kernel: -EINVAL)");
                }
                priResp.wrap(buffer, offset)
                    .ssv(input.flag(SSV))
                    .ssid((int)input.value(SSID))
                    .sid(input.value(SID))
                    .grpid((int)input.value(GRPID))
                    .resp((int)resp);
                break;
            case RESUME:
                resume.wrap(buffer, offset)
                    .sid(input.value(SID))
                    .resp((int)input.value(RESP))
                    .stag((int)input.value(STAG));
                break;
            case STALL_TERM:
                stallTerm.wrap(buffer, offset).sid(input.value(SID));
                break;
            case CMD_SYNC:
                cmdSync.linux(buffer, offset, input.value(MSIADDR), input.flag(BUSY_POLL));
                break;
            default:
                throw new IllegalArgumentException("opcode " + opcode + " has no encoding (kernel: -ENOENT)");
        }
    }
}
