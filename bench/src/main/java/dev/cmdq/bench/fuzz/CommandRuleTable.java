package dev.cmdq.bench.fuzz;

import static dev.cmdq.bench.fuzz.CommandRule.ATC_SIZE_CAPPED;
import static dev.cmdq.bench.fuzz.CommandRule.GUEST_ALLOWED;
import static dev.cmdq.bench.fuzz.CommandRule.GUEST_CS_NONE;
import static dev.cmdq.bench.fuzz.CommandRule.GUEST_SID_MATCHED;
import static dev.cmdq.bench.fuzz.CommandRule.HAS_SSEC;
import static dev.cmdq.bench.fuzz.CommandRule.RANGE_TLBI;
import static dev.cmdq.bench.fuzz.CommandRule.SECURE_ONLY;
import static dev.cmdq.bench.fuzz.CommandRule.TRAP_SSEC_CHECKED;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_ADDR;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_ASID;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_ATC_SIZE;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_ENUM3;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_PLAIN;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_RANGE_NUM;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_RANGE_SCALE;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_RANGE_TG;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_RANGE_TTL;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_SID;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_SSEC;
import static dev.cmdq.bench.fuzz.FieldSpan.ROLE_VMID;

/**
 * The oracle's rules as data: one {@link CommandRule} per opcode a Non-secure SMMUv3 queue knows, typed
 * from the documents in {@code shared/docs} (never from the validator in smmu-commands), with an
 * opcode-indexed lookup. Opcodes without a row are unknown (CERROR_ILL everywhere), among them the
 * Secure-only TLBIs 0x50..0x60 and every value §2.1 does not list.
 *
 * <pre>
 *   opcode  name            dw0 fields                          dw1 fields              flags           trap
 *   0x01    PREFETCH_CFG    SSec10 SSV11 SSID31:12 SID63:32     -                       S T             IGNORE
 *   0x02    PREFETCH_ADDR   SSec10 SSV11 SSID31:12 SID63:32     Size4:0 11:5* ADDR63:12 S T           IGNORE
 *   0x03    CFGI_STE        SSec10 SID63:32                     Leaf0                   S T             REINSTALL_BY_SID
 *   0x04    CFGI_STE_RANGE  SSec10 SID63:32                     Range4:0                S T             REINSTALL_BY_RANGE
 *   0x05    CFGI_CD         SSec10 SSID31:12 SID63:32           Leaf0                   S T             FORWARD_BY_SID
 *   0x06    CFGI_CD_ALL     SSec10 SID63:32                     -                       S T             FORWARD_BY_SID
 *   0x07    CFGI_VMS_PIDM   SSec10 * VMID47:32 *                -                       S T             ILLEGAL
 *   0x10    TLBI_NH_ALL     VMID47:32                           -                                       FORWARD
 *   0x11    TLBI_NH_ASID    VMID47:32 ASID63:48                 -                       G               FORWARD
 *   0x12    TLBI_NH_VA      NUM16:12 SCALE24:20 VMID ASID       Leaf0 TTL9:8 TG11:10 ADDR63:12  G R     FORWARD
 *   0x13    TLBI_NH_VAA     NUM SCALE VMID                      Leaf TTL TG ADDR63:12   R               FORWARD
 *   0x18    TLBI_EL3_ALL    -                                   -                       E               IGNORE
 *   0x1a    TLBI_EL3_VA     NUM SCALE *                         Leaf TTL TG ADDR63:12 * R E             IGNORE
 *   0x20    TLBI_EL2_ALL    -                                   -                                       IGNORE
 *   0x21    TLBI_EL2_ASID   ASID63:48                           -                                       IGNORE
 *   0x22    TLBI_EL2_VA     NUM SCALE ASID                      Leaf TTL TG ADDR63:12   R               IGNORE
 *   0x23    TLBI_EL2_VAA    NUM SCALE *                         Leaf TTL TG ADDR63:12 * R               IGNORE
 *   0x28    TLBI_S12_VMALL  VMID47:32                           -                                       ILLEGAL
 *   0x2a    TLBI_S2_IPA     NUM SCALE VMID                      Leaf TTL TG IPA51:12    R               ILLEGAL
 *   0x30    TLBI_NSNH_ALL   -                                   -                                       FORWARD
 *   0x40    ATC_INV         Global9 SSV11 SSID31:12 SID63:32    Size5:0 ADDR63:12       G M Z           FORWARD_BY_SID
 *   0x41    PRI_RESP        SSV11 SSID31:12 SID63:32            GRPID8:0 RESP13:12(3)                   IGNORE
 *   0x44    RESUME          SSec10 * RESP13:12 SID63:32         STAG15:0                S T             IGNORE
 *   0x45    STALL_TERM      SSec10 * SID63:32 *                 -                       S T             IGNORE
 *   0x46    CMD_SYNC        CS13:12(3) MSH23:22 MSIAttr27:24    MSIAddr51:2             G C             COMPLETE
 *                           MSIData63:32
 *   S = HAS_SSEC, T = TRAP_SSEC_CHECKED, G = GUEST_ALLOWED, R = RANGE_TLBI, M = GUEST_SID_MATCHED,
 *   C = GUEST_CS_NONE, E = SECURE_ONLY, Z = ATC_SIZE_CAPPED, (3) = value 3 reserved,
 *   * = not in the docs' field tables (assumption, see rows)
 * </pre>
 */
public final class CommandRuleTable
{
    /** CMD_SYNC CS, dw0 13:12 (declared before the rows, which use it). */
    public static final FieldSpan SYNC_CS = new FieldSpan("CS", 0, 13, 12, ROLE_ENUM3);
    /** PRI_RESP RESP, dw1 13:12 (kernel position). */
    public static final FieldSpan PRI_RESP_RESP = new FieldSpan("RESP", 1, 13, 12, ROLE_ENUM3);

    private static final CommandRule[] BY_OPCODE = new CommandRule[256];
    private static final CommandRule[] ROWS;

    static
    {
        ROWS = new CommandRule[]
        {
            // §2.2 PREFETCH_CFG: SID 63:32, SSV 11 / SSID 31:12. SSec bit 10: the brief's rule
            // ("CFGI_*, PREFETCH_*, RESUME, STALL_TERM have SSec"), ARM spec, not in the doc table.
            // §5.2: QEMU ignores PREFETCH_* without looking at SSec; the VMM checks SSec on every command that
            // has the field (IHI0070: SSec=1 on a Non-secure queue is CERROR_ILL), a documented choice of
            // vcmdq.vmm.CommandActionTable, so T is set on every S row.
            new CommandRule(0x01, "PREFETCH_CFG", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 2.2 PREFETCH_CFG, 5.2; SSec 10 assumed (ARM spec)", null, 0,
                ssec(), ssv(), ssid(), sid()),
            // §2.1 lists PREFETCH_ADDR without a field table ("only masks defined"). Assumed: dw0 as
            // PREFETCH_CFG, dw1 Size 4:0 and ADDR 63:12 (ARM spec from memory, unverified). dw1 11:5 holds the
            // architecture's Stride and NS parameters (IHI0070 §4.2 names them; positions unverified), so
            // it is a field here, not RES0: the fuzzer found strict mode calling them reserved while the
            // system (rightly, for fields it cannot place) leaves them unchecked.
            new CommandRule(0x02, "PREFETCH_ADDR", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 5.2; fields assumed (ARM spec): dw1 Size 4:0, Stride/NS 11:5, ADDR 63:12", null, 0,
                ssec(), ssv(), ssid(), sid(), new FieldSpan("SIZE", 1, 4, 0, ROLE_PLAIN),
                new FieldSpan("STRIDE_NS", 1, 11, 5, ROLE_PLAIN), addr(63)),
            // §2.2 CFGI_STE: SSec 10, SID 63:32, Leaf dw1 0. §5.2: SSec=1 -> ILL; re-install if the device exists.
            new CommandRule(0x03, "CFGI_STE", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.REINSTALL_BY_SID,
                "smmuv3-cmdq.md 2.2 CFGI_STE, 5.2, 5.3", null, 0,
                ssec(), sid(), leaf()),
            // §2.2 CFGI_ALL / CFGI_STE_RANGE: SID 63:32, Range dw1 4:0. SSec 10 from §5.2 ("SSec=1 -> ILL").
            new CommandRule(0x04, "CFGI_STE_RANGE", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.REINSTALL_BY_RANGE,
                "smmuv3-cmdq.md 2.2 CFGI_ALL/CFGI_STE_RANGE, 5.2 (SSec checked)", null, 0,
                ssec(), sid(), new FieldSpan("RANGE", 1, 4, 0, ROLE_PLAIN)),
            // §2.2 CFGI_CD: SSec 10, SSID 31:12, SID 63:32, Leaf dw1 0. §5.3: forwarded, vSID -> pSID.
            new CommandRule(0x05, "CFGI_CD", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.FORWARD_BY_SID,
                "smmuv3-cmdq.md 2.2 CFGI_CD, 5.2, 5.3; vcmdq-viommu.md 3.7", null, 0,
                ssec(), ssid(), sid(), leaf()),
            // §2.2 CFGI_CD_ALL: "SID in dw0 63:32 only (SSec bit 10 checked by QEMU)".
            new CommandRule(0x06, "CFGI_CD_ALL", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.FORWARD_BY_SID,
                "smmuv3-cmdq.md 2.2 CFGI_CD_ALL, 5.2, 5.3; vcmdq-viommu.md 3.7", null, 0,
                ssec(), sid()),
            // §2.1: 0x07 is CFGI_VMS_PIDM, known to the hardware; no field table. Assumed SSec 10, VMID 47:32
            // (ARM spec from memory). §7.2: an actual 0x07 falls to QEMU's illegal default branch.
            new CommandRule(0x07, "CFGI_VMS_PIDM", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.ILLEGAL,
                "smmuv3-cmdq.md 2.1, 7.2 (QEMU: ILL); fields assumed (ARM spec): SSec 10, VMID 47:32", null, 0,
                ssec(), vmid()),
            // §2.2 TLBI_NH_ALL: VMID 47:32. vcmdq-viommu.md §3.7: accepted by iommufd.
            new CommandRule(0x10, "TLBI_NH_ALL", 0, TrapHandling.FORWARD,
                "smmuv3-cmdq.md 2.2, 5.2; vcmdq-viommu.md 2 (not allowed on guest VCMDQ), 3.7", null, 0,
                vmid()),
            // §2.2 TLBI_NH_ASID: VMID 47:32, ASID 63:48. Guest VCMDQ allow-list (vcmdq-viommu.md §2).
            new CommandRule(0x11, "TLBI_NH_ASID", GUEST_ALLOWED, TrapHandling.FORWARD,
                "smmuv3-cmdq.md 2.2, 5.2; vcmdq-viommu.md 2, 3.7", null, 0,
                vmid(), asid()),
            // §2.2 TLBI_NH_VA: NUM 16:12, SCALE 24:20, VMID, ASID; dw1 LEAF 0, TTL 9:8, TG 11:10, ADDR 63:12.
            new CommandRule(0x12, "TLBI_NH_VA", GUEST_ALLOWED | RANGE_TLBI, TrapHandling.FORWARD,
                "smmuv3-cmdq.md 2.2, 5.2; vcmdq-viommu.md 2, 3.7; linux-unmap-sequences.md 3.2", null, 0,
                num(), scale(), vmid(), asid(), leaf(), ttl(), tg(), addr(63)),
            // §2.2: "TLBI_NH_VAA (0x13) has the same shape without ASID [spec, unverified here for VAA]".
            new CommandRule(0x13, "TLBI_NH_VAA", RANGE_TLBI, TrapHandling.FORWARD,
                "smmuv3-cmdq.md 2.2 (NH_VA without ASID), 5.2; vcmdq-viommu.md 3.7", null, 0,
                num(), scale(), vmid(), leaf(), ttl(), tg(), addr(63)),
            // §2.1 TLBI_EL3_ALL: no field table; assumed opcode only. §5.2: ignored on the trapped path (QEMU).
            // Device queues: CERROR_ILL, EL3 TLBIs exist only on the Secure queue (IHI0070 §4.4.2.5).
            new CommandRule(0x18, "TLBI_EL3_ALL", SECURE_ONLY, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 5.2; fields assumed: none", null, 0),
            // §2.1 TLBI_EL3_VA: no field table; assumed the EL2_VA shape without ASID (EL3 has no ASIDs).
            // Device queues: CERROR_ILL, Secure queue only (IHI0070 §4.4.2.6); trapped: ignored (QEMU).
            new CommandRule(0x1a, "TLBI_EL3_VA", RANGE_TLBI | SECURE_ONLY, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 5.2; fields assumed: NUM, SCALE, LEAF, TTL, TG, ADDR 63:12", null, 0,
                num(), scale(), leaf(), ttl(), tg(), addr(63)),
            // §2.2 "TLBI_EL2_ALL, TLBI_NSNH_ALL: opcode only".
            new CommandRule(0x20, "TLBI_EL2_ALL", 0, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.2, 5.2", null, 0),
            // §2.2 "TLBI_EL2_ASID: ASID in dw0 63:48 only".
            new CommandRule(0x21, "TLBI_EL2_ASID", 0, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.2, 5.2", null, 0,
                asid()),
            // §2.2 TLBI_EL2_VA: the NH_VA table, VMID "NH_VA only; EL2_VA leaves 0" -> no VMID field.
            new CommandRule(0x22, "TLBI_EL2_VA", RANGE_TLBI, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.2 (NH_VA table, no VMID), 5.2", null, 0,
                num(), scale(), asid(), leaf(), ttl(), tg(), addr(63)),
            // §2.1 TLBI_EL2_VAA: no field table; assumed EL2_VA without ASID (as NH_VAA is NH_VA without ASID).
            new CommandRule(0x23, "TLBI_EL2_VAA", RANGE_TLBI, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 5.2; fields assumed: EL2_VA without ASID", null, 0,
                num(), scale(), leaf(), ttl(), tg(), addr(63)),
            // §2.2 "TLBI_S12_VMALL: VMID in dw0 47:32 only". §5.2: ILL without stage 2; §5.3: the accelerated
            // vSMMU is stage 1 only -> ILL on the trapped path.
            new CommandRule(0x28, "TLBI_S12_VMALL", 0, TrapHandling.ILLEGAL,
                "smmuv3-cmdq.md 2.2, 5.2 (ILL without stage 2), 5.3 (stage 1 only)", null, 0,
                vmid()),
            // §2.2 TLBI_S2_IPA: NH_VA without ASID, address GENMASK(51,12). Trapped: as S12_VMALL.
            new CommandRule(0x2a, "TLBI_S2_IPA", RANGE_TLBI, TrapHandling.ILLEGAL,
                "smmuv3-cmdq.md 2.2, 2.3 (IPA 51:12), 5.2, 5.3", null, 0,
                num(), scale(), vmid(), leaf(), ttl(), tg(), addr(51)),
            // §2.2 opcode only. §5.3 / vcmdq-viommu.md §3.7: converted to NH_ALL + VMID by the host.
            new CommandRule(0x30, "TLBI_NSNH_ALL", 0, TrapHandling.FORWARD,
                "smmuv3-cmdq.md 2.2, 5.2, 5.3; vcmdq-viommu.md 3.7", null, 0),
            // §2.2 ATC_INV: Global 9, SSV 11, SSID 31:12, SID 63:32; dw1 Size 5:0, ADDR 63:12.
            // vcmdq-viommu.md §2 allow-list, §1.8 SID_MATCH (unmatched: assumed ILL_ACCESS).
            // Size > 52 is CERROR_ILL on device queues (IHI0070 §4.5.1: the span 2^Size pages must fit the
            // 64-bit address space), a field rule, so tried before SID_MATCH.
            new CommandRule(0x40, "ATC_INV", GUEST_ALLOWED | GUEST_SID_MATCHED | ATC_SIZE_CAPPED, TrapHandling.FORWARD_BY_SID,
                "smmuv3-cmdq.md 2.2, 5.2, 5.3; vcmdq-viommu.md 1.8, 2, 3.7", null, 0,
                new FieldSpan("GLOBAL", 0, 9, 9, ROLE_PLAIN), ssv(), ssid(), sid(),
                new FieldSpan("SIZE", 1, 5, 0, ROLE_ATC_SIZE), addr(63)),
            // §2.2 PRI_RESP: SSV 11, SSID 31:12, SID 63:32; dw1 GRPID 8:0, RESP 13:12 (0 DENY, 1 FAIL, 2 SUCC;
            // 3 reserved: Linux rejects it). Kernel position 13:12, not QEMU's 12:11 (§7.1).
            new CommandRule(0x41, "PRI_RESP", 0, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.2 PRI_RESP, 5.2, 7.1", PRI_RESP_RESP, 3,
                ssv(), ssid(), sid(), new FieldSpan("GRPID", 1, 8, 0, ROLE_PLAIN), PRI_RESP_RESP),
            // §2.2 RESUME: RESP 13:12, SID 63:32; dw1 STAG 15:0. SSec 10: brief's rule / ARM spec, not in the table.
            new CommandRule(0x44, "RESUME", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.2 RESUME, 5.2; SSec 10 assumed (ARM spec)", null, 0,
                ssec(), new FieldSpan("RESP", 0, 13, 12, ROLE_ENUM3), sid(), new FieldSpan("STAG", 1, 15, 0, ROLE_PLAIN)),
            // §2.1 STALL_TERM: no field table. Assumed SSec 10, SID 63:32 (ARM spec from memory).
            new CommandRule(0x45, "STALL_TERM", HAS_SSEC | TRAP_SSEC_CHECKED, TrapHandling.IGNORE,
                "smmuv3-cmdq.md 2.1, 5.2; fields assumed (ARM spec): SSec 10, SID 63:32", null, 0,
                ssec(), sid()),
            // §2.2 CMD_SYNC: CS 13:12 (0 NONE, 1 IRQ, 2 SEV; 3 reserved), MSH 23:22, MSIAttr 27:24,
            // MSIData 63:32; dw1 MSIAddr 51:2. Guest VCMDQ: CS = NONE only (vcmdq-viommu.md §1.7).
            new CommandRule(0x46, "CMD_SYNC", GUEST_ALLOWED | GUEST_CS_NONE, TrapHandling.COMPLETE,
                "smmuv3-cmdq.md 2.2 CMD_SYNC, 5.2, 5.3; vcmdq-viommu.md 1.7, 2", SYNC_CS, 3,
                SYNC_CS, new FieldSpan("MSH", 0, 23, 22, ROLE_PLAIN), new FieldSpan("MSIATTR", 0, 27, 24, ROLE_PLAIN),
                new FieldSpan("MSIDATA", 0, 63, 32, ROLE_PLAIN), new FieldSpan("MSIADDR", 1, 51, 2, ROLE_PLAIN)),
        };
        for (final CommandRule row : ROWS)
        {
            if (BY_OPCODE[row.opcode()] != null)
            {
                throw new IllegalStateException("two rows for opcode " + row);
            }
            BY_OPCODE[row.opcode()] = row;
        }
    }

    private CommandRuleTable()
    {
    }

    /**
     * @param opcode dw0 bits 7:0.
     * @return the row, or null for an opcode no Non-secure queue knows.
     */
    public static CommandRule row(final int opcode)
    {
        return BY_OPCODE[opcode & 0xFF];
    }

    /**
     * @return number of rows.
     */
    public static int rowCount()
    {
        return ROWS.length;
    }

    /**
     * @param i row index, in opcode order.
     * @return the row.
     */
    public static CommandRule rowAt(final int i)
    {
        return ROWS[i];
    }

    private static FieldSpan ssec()
    {
        return new FieldSpan("SSEC", 0, 10, 10, ROLE_SSEC);
    }

    private static FieldSpan ssv()
    {
        return new FieldSpan("SSV", 0, 11, 11, ROLE_PLAIN);
    }

    private static FieldSpan ssid()
    {
        return new FieldSpan("SSID", 0, 31, 12, ROLE_PLAIN);
    }

    private static FieldSpan sid()
    {
        return new FieldSpan("SID", 0, 63, 32, ROLE_SID);
    }

    private static FieldSpan vmid()
    {
        return new FieldSpan("VMID", 0, 47, 32, ROLE_VMID);
    }

    private static FieldSpan asid()
    {
        return new FieldSpan("ASID", 0, 63, 48, ROLE_ASID);
    }

    private static FieldSpan num()
    {
        return new FieldSpan("NUM", 0, 16, 12, ROLE_RANGE_NUM);
    }

    private static FieldSpan scale()
    {
        return new FieldSpan("SCALE", 0, 24, 20, ROLE_RANGE_SCALE);
    }

    private static FieldSpan leaf()
    {
        return new FieldSpan("LEAF", 1, 0, 0, ROLE_PLAIN);
    }

    private static FieldSpan ttl()
    {
        return new FieldSpan("TTL", 1, 9, 8, ROLE_RANGE_TTL);
    }

    private static FieldSpan tg()
    {
        return new FieldSpan("TG", 1, 11, 10, ROLE_RANGE_TG);
    }

    private static FieldSpan addr(final int msb)
    {
        return new FieldSpan("ADDR", 1, msb, 12, ROLE_ADDR);
    }
}
