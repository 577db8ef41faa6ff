package dev.cmdq.bench.fuzz;

import static dev.cmdq.bench.fuzz.FuzzQueueKind.GUEST_VCMDQ;
import static dev.cmdq.bench.fuzz.FuzzQueueKind.HOST_VCMDQ;
import static dev.cmdq.bench.fuzz.FuzzQueueKind.MAIN_CMDQ;
import static dev.cmdq.bench.fuzz.FuzzQueueKind.TRAPPED_CMDQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The oracle against the shared Linux-built vectors and against literal words computed by hand from the
 * doc tables (each case says which field and which bit). Expected values are typed here again from the
 * docs, not taken from the oracle's table.
 */
class CerrorOracleTest
{
    /** vSIDs 5 and 0x20 owned. */
    private static final FuzzContext LAX = new FuzzContext(new int[] {5, 0x20}, false, FuzzOutcome.ILL);
    private static final FuzzContext STRICT = new FuzzContext(new int[] {5, 0x20}, true, FuzzOutcome.ILL);
    private static final FuzzContext LAX_IGNORE = new FuzzContext(new int[] {5, 0x20}, false, FuzzOutcome.IGNORE);

    /** smmuv3-cmdq.md §2.1: every opcode a Non-secure queue knows (0x07 CFGI_VMS_PIDM included). */
    private static final Set<Integer> KNOWN = Set.of(
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x18, 0x1a, 0x20, 0x21, 0x22, 0x23,
        0x28, 0x2a, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46);

    private final CerrorOracle oracle = new CerrorOracle();

    private void expect(final int outcome, final int rule, final FuzzQueueKind kind, final long dw0, final long dw1,
        final FuzzContext context)
    {
        final int verdict = oracle.verdict(kind, dw0, dw1, context);
        assertEquals(FuzzVerdict.toString(FuzzVerdict.of(rule, outcome)), FuzzVerdict.toString(verdict),
            String.format("%s %016x:%016x %s", kind, dw0, dw1, context));
        assertEquals(outcome, oracle.expected(kind, dw0, dw1, context));
    }

    @Test
    void everySharedVectorIsExecutedByTheMainCmdqAndAHostVcmdqInBothModes()
    {
        final List<SharedCommandVectors.Row> rows = SharedCommandVectors.rows();
        assertEquals(300, rows.size(), "public vector rows");
        for (final SharedCommandVectors.Row row : rows)
        {
            // Exceptions, typed from IHI0070 (not from the validator): the EL3 TLBIs exist only on the Secure
            // queue (§4.4.2.5-6), an ATC_INV Size above 52 is illegal (§4.5.1; the vectors' field-extremes
            // row has Size 0x3f).
            final int op = (int)(row.cmd0 & 0xff);
            final boolean illegal = op == 0x18 || op == 0x1a || op == 0x40 && (row.cmd1 & 0x3f) > 52;
            final int expected = illegal ? FuzzOutcome.ILL : FuzzOutcome.NONE;
            for (final FuzzContext context : new FuzzContext[] {LAX, STRICT})
            {
                assertEquals(expected, oracle.expected(MAIN_CMDQ, row.cmd0, row.cmd1, context), row + " " + context);
                assertEquals(expected, oracle.expected(HOST_VCMDQ, row.cmd0, row.cmd1, context), row + " " + context);
            }
        }
    }

    @Test
    void vectorsOfGuestAllowedOpcodesWithOwnedSidsOrCsNonePassTheGuestVcmdq()
    {
        int checked = 0;
        for (final SharedCommandVectors.Row row : SharedCommandVectors.rows())
        {
            final boolean allowed = row.name.equals("TLBI_NH_ASID") || row.name.equals("TLBI_NH_VA")
                || row.name.equals("CMD_SYNC") && (row.cmd0 & 0x3000) == 0;
            final int expected = allowed ? FuzzOutcome.NONE : FuzzOutcome.ILL_ACCESS;
            if (!row.name.equals("ATC_INV"))
            {
                assertEquals(expected, oracle.expected(GUEST_VCMDQ, row.cmd0, row.cmd1, STRICT), row.toString());
                checked++;
            }
        }
        assertTrue(checked > 200, "rows checked: " + checked);
    }

    @Test
    void rule1EveryOpcodeOutsideSection21IsIllegalOnEveryQueue()
    {
        for (int op = 0; op < 256; op++)
        {
            final boolean known = KNOWN.contains(op);
            final boolean secureOnly = op == 0x18 || op == 0x1a;
            // dw0 = the opcode byte alone, dw1 = 0: every field zero, so only the opcode decides.
            if (secureOnly)
            {
                expect(FuzzOutcome.ILL, OracleRule.SECURE_ONLY, MAIN_CMDQ, op, 0, STRICT);
                expect(FuzzOutcome.ILL, OracleRule.SECURE_ONLY, HOST_VCMDQ, op, 0, LAX);
                expect(FuzzOutcome.IGNORE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, op, 0, LAX);
                continue;
            }
            expect(known ? FuzzOutcome.NONE : FuzzOutcome.ILL, known ? OracleRule.ACCEPTED : OracleRule.UNKNOWN_OPCODE,
                MAIN_CMDQ, op, 0, STRICT);
            if (!known)
            {
                expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, HOST_VCMDQ, op, 0, LAX);
                expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, GUEST_VCMDQ, op, 0, LAX);
                expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, TRAPPED_CMDQ, op, 0, LAX);
            }
        }
        // The Secure-only TLBIs 0x50..0x60 are unknown on Non-secure queues.
        expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, MAIN_CMDQ, 0x50, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, MAIN_CMDQ, 0x58, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, MAIN_CMDQ, 0x60, 0, LAX);
        // Opcode byte 0x12 with other bits of dw0 wild is still TLBI_NH_VA; 0x112 is opcode 0x12 too.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0xFFFF_FFFF_0000_0012L, 0, LAX);
    }

    @Test
    void rule2TheGuestVcmdqAllowList()
    {
        // Allowed: TLBI_NH_ASID (vmid 1, asid 2: dw0 47:32 = 1, 63:48 = 2).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0002_0001_0000_0011L, 0, STRICT);
        // TLBI_NH_VA single page at 0x1000: dw1 bit 12.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0002_0001_0000_0012L, 0x1000, STRICT);
        // ATC_INV sid 5 (owned), size 52 (dw1 5:0 = 0x34).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0000_0005_0000_0040L, 0x34, STRICT);
        // CMD_SYNC CS=NONE as the Tegra241 path builds it (MSH=3, MSIAttr=0xF).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0fc00046L, 0, STRICT);
        // CS=IRQ (dw0 bit 12), CS=SEV (bit 13), CS=3: all ILL_ACCESS on a guest VCMDQ.
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.SYNC_CS_NOT_NONE, GUEST_VCMDQ, 0x0fc01046L, 0, LAX);
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.SYNC_CS_NOT_NONE, GUEST_VCMDQ, 0x0fc02046L, 0, LAX);
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.SYNC_CS_NOT_NONE, GUEST_VCMDQ, 0x3046L, 0, STRICT);
        // Every other known opcode: ILL_ACCESS, also with valid fields.
        for (final int op : KNOWN)
        {
            if (op == 0x18 || op == 0x1a)
            {
                // Secure-only TLBIs are illegal on any Non-secure queue before the allow-list is consulted.
                expect(FuzzOutcome.ILL, OracleRule.SECURE_ONLY, GUEST_VCMDQ, 0x0000_0005_0000_0000L | op, 0, LAX);
            }
            else if (op != 0x11 && op != 0x12 && op != 0x40 && op != 0x46)
            {
                expect(FuzzOutcome.ILL_ACCESS, OracleRule.NOT_ALLOWED, GUEST_VCMDQ, 0x0000_0005_0000_0000L | op, 0, LAX);
            }
        }
        // The allow-list is checked before SSec: CFGI_STE with SSec (dw0 bit 10) is ILL_ACCESS, not ILL.
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.NOT_ALLOWED, GUEST_VCMDQ, 0x0000_0005_0000_0403L, 0, LAX);
        // The host VCMDQ takes everything, e.g. TLBI_NSNH_ALL and CMD_SYNC CS=SEV.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, HOST_VCMDQ, 0x30, 0, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, HOST_VCMDQ, 0x0fc02046L, 0, STRICT);
    }

    @Test
    void rule3SsecBitTenOnCommandsThatHaveIt()
    {
        // CFGI_STE sid 5 with SSec (dw0 bit 10 = 0x400).
        expect(FuzzOutcome.ILL, OracleRule.SSEC, MAIN_CMDQ, 0x0000_0005_0000_0403L, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.SSEC, HOST_VCMDQ, 0x0000_0005_0000_0403L, 0, LAX);
        // CFGI_ALL (0x04, Range 31 in dw1 4:0) with SSec.
        expect(FuzzOutcome.ILL, OracleRule.SSEC, MAIN_CMDQ, 0x404, 0x1f, LAX);
        // CFGI_CD, CFGI_CD_ALL, CFGI_VMS_PIDM, PREFETCH_CFG, PREFETCH_ADDR, RESUME, STALL_TERM with SSec.
        for (final int op : new int[] {0x05, 0x06, 0x07, 0x01, 0x02, 0x44, 0x45})
        {
            expect(FuzzOutcome.ILL, OracleRule.SSEC, MAIN_CMDQ, 0x400 | op, 0, LAX);
        }
        // Without SSec the same words are fine.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0005_0000_0003L, 0, STRICT);
        // Bit 10 of a TLBI_NH_VA is no SSec: legal unless strict (then RES0: NH_VA dw0 11:8 is unused).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x412, 0x1000, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x412, 0x1000, STRICT);
        // Bit 10 of ATC_INV is no SSec either (Global is bit 9, SSV bit 11).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0005_0000_0440L, 0, LAX);
    }

    @Test
    void rule4TheReservedRangeEncoding()
    {
        // TLBI_NH_VA asid 4, TG=1 (dw1 bit 10), NUM=SCALE=TTL=0: reserved (linux-unmap-sequences.md §3.2).
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_RANGE, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1400L, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_RANGE, GUEST_VCMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1400L, LAX);
        // The same with NUM=1 (dw0 bit 12), SCALE=1 (bit 20) or TTL=1 (dw1 bit 8) is a normal range command.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_1012L, 0x0000_7f00_0000_1400L, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0010_0012L, 0x0000_7f00_0000_1400L, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1500L, STRICT);
        // TG=0 is not a range command at all.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1000L, STRICT);
        // The doc's worked example: 33 pages, not leaf -> one command (scale 1, num 17).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0011_0012L, 0x0000_7f00_0000_1400L, STRICT);
        // TG=3 (dw1 11:10 = 0xc00) on S2_IPA, NH_VAA, EL2_VA, EL2_VAA: reserved too (EL3_VA is Secure-only first).
        for (final int op : new int[] {0x2a, 0x13, 0x22, 0x23})
        {
            expect(FuzzOutcome.ILL, OracleRule.RESERVED_RANGE, MAIN_CMDQ, op, 0xc00, LAX);
        }
        expect(FuzzOutcome.ILL, OracleRule.SECURE_ONLY, MAIN_CMDQ, 0x1a, 0xc00, LAX);
        // TG=16K (dw1 0x800) with TTL=1 (0x100) and NUM=SCALE=0: no level-1 entry at 16K (IHI0070 §4.4.1.1).
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_TTL, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1900L, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_TTL, GUEST_VCMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1900L, LAX);
        // ... but legal with NUM=1, at 4K with TTL=1, or at 16K with TTL=2.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_1012L, 0x0000_7f00_0000_1900L, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1500L, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0004_0000_0000_0012L, 0x0000_7f00_0000_1a00L, STRICT);
        // Trapped: QEMU forwards both reserved encodings, the host's main CMDQ refuses them, the host skips them.
        expect(FuzzOutcome.FORWARD_SKIPPED, OracleRule.TRAP_HOST_SKIPPED, TRAPPED_CMDQ, 0x0004_0000_0000_0012L,
            0x0000_7f00_0000_1400L & ~0x300L, LAX);
        expect(FuzzOutcome.FORWARD_SKIPPED, OracleRule.TRAP_HOST_SKIPPED, TRAPPED_CMDQ, 0x0004_0000_0000_0012L,
            0x0000_7f00_0000_1900L, LAX);
        // TLBI_NH_ASID has no TG field: dw1 bit 10 there is RES0, not a range encoding.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x11, 0x400, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x11, 0x400, STRICT);
        // The trapped path does not check it (QEMU §5.2): forwarded, but the host's main CMDQ refuses it.
        expect(FuzzOutcome.FORWARD_SKIPPED, OracleRule.TRAP_HOST_SKIPPED, TRAPPED_CMDQ, 0x0004_0000_0000_0012L,
            0x0000_7f00_0000_1400L, STRICT);
    }

    @Test
    void rule5StrictModeReservedBitsAndValues()
    {
        // ATC_INV sid 5: dw0 bit 8 (between opcode and Global 9) and dw1 bit 6 (between Size 5:0 and ADDR 63:12).
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0005_0000_0140L, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x0000_0005_0000_0140L, 0, STRICT);
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x0000_0005_0000_0040L, 0x40, STRICT);
        // TLBI_S2_IPA keeps only 51:12 of the address: dw1 bit 52 is RES0; on NH_VA the same bit is ADDR.
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x0000_0001_0000_002aL, 0x0010_0000_0000_1000L, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0001_0000_0012L, 0x0010_0000_0000_1000L, STRICT);
        // TLBI_NH_ALL has VMID 47:32 only: dw0 bit 48 (where NH_ASID has its ASID) is RES0.
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x0001_0001_0000_0010L, 0, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0001_0001_0000_0011L, 0, STRICT);
        // CFGI_STE has no SSID: dw0 bit 12 is RES0; CFGI_CD has SSID 31:12.
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x1003, 0, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x1005, 0, STRICT);
        // CMD_SYNC: MSIAddr is 51:2, so dw1 bit 1 and bit 52 are RES0.
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x46, 0x2, STRICT);
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x46, 1L << 52, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x46, 0x000f_ffff_ffff_fffcL, STRICT);
        // CMD_SYNC CS=3 (dw0 13:12 = 0x3000) and PRI_RESP RESP=3 (dw1 13:12 = 0x3000): reserved values.
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_VALUE, MAIN_CMDQ, 0x3046, 0, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x3046, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.RESERVED_VALUE, HOST_VCMDQ, 0x41, 0x3000, STRICT);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, HOST_VCMDQ, 0x41, 0x2000, STRICT);
        // PRI_RESP at QEMU's position 12:11 (§7.1): bit 11 is RES0 in the kernel layout (GRPID is 8:0).
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, MAIN_CMDQ, 0x41, 0x0800, STRICT);
        // Strict mode does not touch the trapped path (QEMU checks no reserved bits).
        expect(FuzzOutcome.COMPLETE_SYNC, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0x3046, 0x3, STRICT);
    }

    @Test
    void guestVcmdqAtcInvSidMustMatchASlot()
    {
        // ATC_INV sid 6 and sid 0x100005 (beyond SID_MATCH's 20 bits; low 20 bits = 5): no slot matches.
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.UNMATCHED_SID, GUEST_VCMDQ, 0x0000_0006_0000_0040L, 0, LAX);
        expect(FuzzOutcome.ILL_ACCESS, OracleRule.UNMATCHED_SID, GUEST_VCMDQ, 0x0010_0005_0000_0040L, 0, LAX);
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0000_0020_0000_0040L, 0, LAX);
        // Device queues of the host do not look SIDs up.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0006_0000_0040L, 0, LAX);
        // Field rules come first: strict RES0 (dw0 bit 8) with an unmatched SID is ILL.
        expect(FuzzOutcome.ILL, OracleRule.RES0_BIT, GUEST_VCMDQ, 0x0000_0006_0000_0140L, 0, STRICT);
        // TLBI_NH_ASID's dw0 63:32 is no SID: never looked up.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, GUEST_VCMDQ, 0x0006_0006_0000_0011L, 0, LAX);
    }

    @Test
    void trappedActionPerOpcodeForAnOwnedSid()
    {
        // smmuv3-cmdq.md §5.2/§5.3, typed again: opcode -> action when dw0 63:32 is the owned vSID 5.
        final Map<Integer, Integer> action = new HashMap<>();
        for (final int op : new int[] {0x01, 0x02, 0x18, 0x1a, 0x20, 0x21, 0x22, 0x23, 0x41, 0x44, 0x45})
        {
            action.put(op, FuzzOutcome.IGNORE);
        }
        for (final int op : new int[] {0x05, 0x06, 0x10, 0x11, 0x12, 0x13, 0x30, 0x40})
        {
            action.put(op, FuzzOutcome.FORWARD);
        }
        action.put(0x03, FuzzOutcome.REINSTALL_STE);
        action.put(0x04, FuzzOutcome.REINSTALL_STE);
        action.put(0x46, FuzzOutcome.COMPLETE_SYNC);
        // 0x07 (QEMU's default branch, §7.2), 0x28 and 0x2a (need stage 2) and unknown opcodes: ILL.
        for (int op = 0; op < 256; op++)
        {
            final int expected = action.getOrDefault(op, FuzzOutcome.ILL);
            // dw1 = 0x1f: Range 31 for CFGI_STE_RANGE (all SIDs); harmless for the others on this path.
            assertEquals(FuzzOutcome.name(expected),
                FuzzOutcome.name(oracle.expected(TRAPPED_CMDQ, 0x0000_0005_0000_0000L | op, 0x1f, LAX)),
                String.format("opcode 0x%02x", op));
        }
        expect(FuzzOutcome.ILL, OracleRule.TRAP_UNSUPPORTED, TRAPPED_CMDQ, 0x07, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.TRAP_UNSUPPORTED, TRAPPED_CMDQ, 0x0000_0001_0000_0028L, 0, LAX);
        expect(FuzzOutcome.ILL, OracleRule.UNKNOWN_OPCODE, TRAPPED_CMDQ, 0x50, 0, LAX);
    }

    @Test
    void trappedSsecOnEveryCommandWithTheField()
    {
        // CFGI_STE, CFGI_STE_RANGE, CFGI_CD, CFGI_CD_ALL for owned sid 5 with SSec (dw0 bit 10): ILL.
        for (final int op : new int[] {0x03, 0x04, 0x05, 0x06})
        {
            expect(FuzzOutcome.ILL, OracleRule.SSEC, TRAPPED_CMDQ, 0x0000_0005_0000_0400L | op, 0x1f, LAX);
        }
        // PREFETCH_* / RESUME / STALL_TERM with SSec: QEMU ignores them without looking, the VMM refuses them
        // (every command with the field; SSec=1 on a Non-secure queue is illegal, IHI0070), a documented choice.
        for (final int op : new int[] {0x01, 0x02, 0x44, 0x45})
        {
            expect(FuzzOutcome.ILL, OracleRule.SSEC, TRAPPED_CMDQ, 0x400 | op, 0, LAX);
            expect(FuzzOutcome.IGNORE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, op, 0, LAX);
        }
    }

    @Test
    void atcInvSizeAbove52IsIllegalBeforeTheSidMatch()
    {
        // Size 52 (0x34) is the largest legal one; 53 and 63 are ILL (IHI0070 §4.5.1) on every device queue.
        expect(FuzzOutcome.NONE, OracleRule.ACCEPTED, MAIN_CMDQ, 0x0000_0005_0000_0040L, 0x34, STRICT);
        expect(FuzzOutcome.ILL, OracleRule.ATC_SIZE, MAIN_CMDQ, 0x0000_0005_0000_0040L, 0x35, LAX);
        expect(FuzzOutcome.ILL, OracleRule.ATC_SIZE, HOST_VCMDQ, 0x0000_0005_0000_0040L, 0x3f, LAX);
        // A field rule: tried before SID_MATCH, so an unowned vSID 6 with Size 63 is ILL, not ILL_ACCESS.
        expect(FuzzOutcome.ILL, OracleRule.ATC_SIZE, GUEST_VCMDQ, 0x0000_0006_0000_0040L, 0x3f, LAX);
        // Trapped, owned vSID: forwarded, then skipped by the host.
        expect(FuzzOutcome.FORWARD_SKIPPED, OracleRule.TRAP_HOST_SKIPPED, TRAPPED_CMDQ, 0x0000_0005_0000_0040L, 0x3f, LAX);
        expect(FuzzOutcome.FORWARD, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0x0000_0005_0000_0040L, 0x34, LAX);
    }

    @Test
    void trappedSidScopedCommandsForUnownedVsids()
    {
        // ATC_INV / CFGI_CD / CFGI_CD_ALL for vSID 6 (not owned): the host refuses (ILL), or QEMU does not
        // forward (IGNORE), by the context's policy.
        for (final int op : new int[] {0x40, 0x05, 0x06})
        {
            expect(FuzzOutcome.ILL, OracleRule.TRAP_UNOWNED_SID, TRAPPED_CMDQ, 0x0000_0006_0000_0000L | op, 0, LAX);
            expect(FuzzOutcome.IGNORE, OracleRule.TRAP_UNOWNED_SID, TRAPPED_CMDQ, 0x0000_0006_0000_0000L | op, 0, LAX_IGNORE);
        }
        // CFGI_STE for a SID without device: ignored (§5.2 "if a device with that SID exists").
        expect(FuzzOutcome.IGNORE, OracleRule.TRAP_NO_DEVICE, TRAPPED_CMDQ, 0x0000_0006_0000_0003L, 0, LAX);
        expect(FuzzOutcome.REINSTALL_STE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0x0000_0020_0000_0003L, 0, LAX);
    }

    @Test
    void trappedCfgiSteRangeCoversTheAlignedRange()
    {
        // Owned 5 and 0x20. Range 0 -> 2 SIDs: SID 4 covers 4..5 (owned 5), SID 6 covers 6..7 (none).
        expect(FuzzOutcome.REINSTALL_STE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0x0000_0004_0000_0004L, 0, LAX);
        expect(FuzzOutcome.IGNORE, OracleRule.TRAP_NO_DEVICE, TRAPPED_CMDQ, 0x0000_0006_0000_0004L, 0, LAX);
        // Range 3 -> 16 SIDs: SID 0x1f covers 0x10..0x1f (none); Range 4 -> 32 SIDs: 0x3f covers 0x20..0x3f.
        expect(FuzzOutcome.IGNORE, OracleRule.TRAP_NO_DEVICE, TRAPPED_CMDQ, 0x0000_001f_0000_0004L, 3, LAX);
        expect(FuzzOutcome.REINSTALL_STE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0x0000_003f_0000_0004L, 4, LAX);
        // Range 31 (CFGI_ALL) from SID 0xffffffff: every SID.
        expect(FuzzOutcome.REINSTALL_STE, OracleRule.TRAP_ACTION, TRAPPED_CMDQ, 0xffff_ffff_0000_0004L, 31, LAX);
        // A VM without devices: CFGI_ALL re-installs nothing.
        final FuzzContext none = new FuzzContext(new int[0], false, FuzzOutcome.ILL);
        expect(FuzzOutcome.IGNORE, OracleRule.TRAP_NO_DEVICE, TRAPPED_CMDQ, 0x04, 31, none);
    }
}
