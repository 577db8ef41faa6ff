package dev.cmdq.smmu.validate;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.AtcInvLayout;
import dev.cmdq.smmu.CmdSyncLayout;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.PriRespLayout;
import dev.cmdq.smmu.TlbiLayout;
import org.agrona.DirectBuffer;

/**
 * The CERROR a device reports for one command on one kind of queue. The rules, in the order applied
 * (the first that matches decides):
 * <ol>
 *   <li><b>Unknown opcode → {@link CommandError#ILL}.</b> IHI0070 §4.1.3 ("a Reserved command opcode
 *       is encountered"); QEMU's consume loop default branch (smmuv3-cmdq.md §2.1, §5.2). The
 *       Secure-only TLBIs (0x50..0x60) are unknown on the Non-secure queues modelled here. QEMU also
 *       raises ILL for 0x07 (CFGI_VMS_PIDM) because its enum misnumbers CFGI_ALL (§7.2); this
 *       validator follows the architecture and knows 0x07. TLBI_EL3_ALL and TLBI_EL3_VA are valid only
 *       on a Secure Command queue (IHI0070 §4.4.2.5–6): ILL here too.</li>
 *   <li><b>Allow-list of the queue.</b>
 *       {@link QueueKind#GUEST_VCMDQ}: anything but TLBI_NH_ASID, TLBI_NH_VA, ATC_INV and CMD_SYNC with
 *       CS=NONE → {@link CommandError#ILL_ACCESS} (vcmdq-viommu.md §2: the kernel's guest
 *       {@code supports_cmd}; the code is QEMU tegra241-cmdqv.h's; that hardware faults rather than
 *       the driver never sending it is inferred there).
 *       {@link QueueKind#IOMMUFD_INVALIDATE}: anything but the eight opcodes of vcmdq-viommu.md §3.7 →
 *       {@link CommandError#ILL} (the kernel fails the ioctl with {@code -EIO}; ILL is its CERROR
 *       counterpart). TLBI_NSNH_ALL is accepted and rewritten by the kernel to TLBI_NH_ALL with only the
 *       VM's VMID and dword 1 zeroed, so nothing of the guest's entry reaches the device:
 *       {@link CommandError#NONE}. Every other accepted command runs on the main CMDQ and goes through
 *       the rules below (the kernel overwrites VMID / SID fields, never reserved ones).</li>
 *   <li><b>SSec=1 → {@link CommandError#ILL}</b> for every command that has SSec (CFGI_*, PREFETCH_*,
 *       RESUME, STALL_TERM): IHI0070 §4.1.6, "a command on the Non-secure Command queue with
 *       SSec == 1 is ILLEGAL ... and raises CERROR_ILL". QEMU checks it for the CFGI commands it executes
 *       (smmuv3-cmdq.md §2.2, §5.2) and ignores the other commands entirely.</li>
 *   <li><b>The reserved range-TLBI encoding → {@link CommandError#ILL}:</b> a TLBI with a TG field,
 *       TG≠0 and NUM=SCALE=TTL=0 (linux-unmap-sequences.md §3.2: reported on the list to be reserved and
 *       to raise CERROR_ILL; Linux pads its page count to avoid it; IHI0070 §4.4.1.1 confirms it), and
 *       TG=16K with TTL=1 and NUM=SCALE=0 (§4.4.1.1: no level-1 leaf for a 16K granule without 52-bit
 *       addresses). QEMU checks neither.</li>
 *   <li><b>ATC_INV SIZE above 52 → {@link CommandError#ILL}</b> (IHI0070 §4.5.1 permits it; 52 means
 *       the whole ATC).</li>
 *   <li><b>Only with {@link ReservedBits#CHECKED}:</b> a non-zero RES0 bit (bits outside the opcode's
 *       fields, {@link Opcode#reservedMask0()} / {@link Opcode#reservedMask1()}, excluding
 *       {@link Opcode#uncheckedMask1()}), CMD_SYNC CS=3 or PRI_RESP RESP=3 (the values no source
 *       defines) → {@link CommandError#ILL} (IHI0070 §4.1.5).</li>
 * </ol>
 * Nothing here allocates; the instance form is immutable and shareable.
 */
public final class CommandValidator
{
    private static final long TLBI_RANGE_ZERO_MASK0 = TlbiLayout.NUM_MASK | TlbiLayout.SCALE_MASK;
    private static final long TG_16K = 2L << TlbiLayout.TG_SHIFT;
    private static final long TTL_1 = 1L << TlbiLayout.TTL_SHIFT;

    private final QueueKind queue;
    private final ReservedBits reservedBits;

    /**
     * @param queue        the queue the commands sit on.
     * @param reservedBits whether reserved bits and values are checked.
     */
    public CommandValidator(final QueueKind queue, final ReservedBits reservedBits)
    {
        if (queue == null || reservedBits == null)
        {
            throw new NullPointerException("queue=" + queue + " reservedBits=" + reservedBits);
        }
        this.queue = queue;
        this.reservedBits = reservedBits;
    }

    /**
     * @return the queue kind.
     */
    public QueueKind queue()
    {
        return queue;
    }

    /**
     * @return the reserved-bit policy.
     */
    public ReservedBits reservedBits()
    {
        return reservedBits;
    }

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the command's slot.
     * @return the CERROR code, {@link CommandError#NONE} when the command is legal.
     */
    public int validate(final DirectBuffer buffer, final int offset)
    {
        return validate(CommandWords.dword0(buffer, offset), CommandWords.dword1(buffer, offset), queue, reservedBits);
    }

    /**
     * @param dword0       the command's dword 0.
     * @param dword1       the command's dword 1.
     * @param queue        the queue it sits on.
     * @param reservedBits whether reserved bits and values are checked.
     * @return the CERROR code, {@link CommandError#NONE} when the command is legal.
     */
    public static int validate(
        final long dword0, final long dword1, final QueueKind queue, final ReservedBits reservedBits)
    {
        final Opcode opcode = Opcode.of((int)(dword0 & CommandLayout.OPCODE_MASK));
        if (opcode == Opcode.UNKNOWN || opcode == Opcode.TLBI_EL3_ALL || opcode == Opcode.TLBI_EL3_VA)
        {
            return CommandError.ILL;
        }

        if (queue == QueueKind.GUEST_VCMDQ && !guestVcmdqAccepts(opcode, dword0))
        {
            return CommandError.ILL_ACCESS;
        }
        if (queue == QueueKind.IOMMUFD_INVALIDATE)
        {
            if (!iommufdAccepts(opcode))
            {
                return CommandError.ILL;
            }
            if (opcode == Opcode.TLBI_NSNH_ALL)
            {
                return CommandError.NONE;
            }
        }

        if ((dword0 & CommandLayout.SSEC_MASK) != 0 && opcode.has(CommandLayout.SSEC))
        {
            return CommandError.ILL;
        }

        if (opcode.has(TlbiLayout.TG) && isReservedRange(dword0, dword1))
        {
            return CommandError.ILL;
        }

        if (opcode == Opcode.ATC_INV && (dword1 & AtcInvLayout.SIZE_MASK) > AtcInvLayout.SIZE_ALL)
        {
            return CommandError.ILL;
        }

        if (reservedBits == ReservedBits.CHECKED && hasReserved(opcode, dword0, dword1))
        {
            return CommandError.ILL;
        }
        return CommandError.NONE;
    }

    /**
     * @param opcode a known opcode.
     * @param dword0 its dword 0 (for CMD_SYNC's CS).
     * @return true when a guest-owned VCMDQ takes it.
     */
    public static boolean guestVcmdqAccepts(final Opcode opcode, final long dword0)
    {
        switch (opcode)
        {
            case TLBI_NH_ASID:
            case TLBI_NH_VA:
            case ATC_INV:
                return true;
            case CMD_SYNC:
                return (dword0 & CmdSyncLayout.CS_MASK) == 0;
            default:
                return false;
        }
    }

    /**
     * @param opcode a known opcode.
     * @return true when {@code IOMMU_HWPT_INVALIDATE} on an SMMUv3 vIOMMU accepts it.
     */
    public static boolean iommufdAccepts(final Opcode opcode)
    {
        switch (opcode)
        {
            case TLBI_NSNH_ALL:
            case TLBI_NH_ALL:
            case TLBI_NH_ASID:
            case TLBI_NH_VA:
            case TLBI_NH_VAA:
            case ATC_INV:
            case CFGI_CD:
            case CFGI_CD_ALL:
                return true;
            default:
                return false;
        }
    }

    /**
     * The reserved range encodings (IHI0070 §4.4.1.1): TG≠0 with NUM=SCALE=TTL=0, and TG=16K with TTL=1
     * and NUM=SCALE=0 (a 16K granule has no level-1 leaf without 52-bit addressing, which the model's
     * SMMU lacks).
     */
    private static boolean isReservedRange(final long dword0, final long dword1)
    {
        final long tg = dword1 & TlbiLayout.TG_MASK;
        if (tg == 0 || (dword0 & TLBI_RANGE_ZERO_MASK0) != 0)
        {
            return false;
        }
        final long ttl = dword1 & TlbiLayout.TTL_MASK;
        return ttl == 0 || (tg == TG_16K && ttl == TTL_1);
    }

    private static boolean hasReserved(final Opcode opcode, final long dword0, final long dword1)
    {
        if ((dword0 & opcode.reservedMask0()) != 0 ||
            (dword1 & opcode.reservedMask1() & ~opcode.uncheckedMask1()) != 0)
        {
            return true;
        }
        if (opcode == Opcode.CMD_SYNC)
        {
            return (dword0 & CmdSyncLayout.CS_MASK) == CmdSyncLayout.CS_MASK;
        }
        if (opcode == Opcode.PRI_RESP)
        {
            return (dword1 & PriRespLayout.RESP_MASK) == PriRespLayout.RESP_MASK;
        }
        return false;
    }
}
