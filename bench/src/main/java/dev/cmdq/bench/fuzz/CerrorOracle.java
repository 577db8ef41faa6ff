package dev.cmdq.bench.fuzz;

/**
 * The fuzzer's independent prediction of what a queue does with one command: a CERROR code on the device
 * queues, a trap action (or CERROR_ILL) on the trapped guest CMDQ. Written from the documents only, as the
 * rows of {@link CommandRuleTable} plus a fixed order of rules; it never calls the validator or a decoder
 * of smmu-commands. Stateless after construction and allocation-free, so it runs once per fuzzed command.
 *
 * <p>Device queues, first match decides:
 * <ol>
 *   <li>opcode without a row (incl. Secure-only 0x50..0x60) &rarr; ILL</li>
 *   <li>{@code SECURE_ONLY} (TLBI_EL3_*, IHI0070 §4.4.2.5-6) &rarr; ILL, on the guest VCMDQ too: like an
 *       unknown opcode it is illegal on any Non-secure queue before any allow-list applies</li>
 *   <li>guest VCMDQ: row not {@code GUEST_ALLOWED}, or CMD_SYNC with CS != NONE &rarr; ILL_ACCESS</li>
 *   <li>{@code HAS_SSEC} and dw0 bit 10 set &rarr; ILL</li>
 *   <li>{@code RANGE_TLBI} with TG != 0 and NUM = SCALE = TTL = 0 &rarr; ILL; with TG = 16K, TTL = 1 and
 *       NUM = SCALE = 0 &rarr; ILL (IHI0070 §4.4.1.1)</li>
 *   <li>{@code ATC_SIZE_CAPPED} with Size &gt; 52 &rarr; ILL (IHI0070 §4.5.1)</li>
 *   <li>strict mode: a bit outside the row's fields, or the row's reserved value (CS = 3, RESP = 3) &rarr; ILL</li>
 *   <li>guest VCMDQ, {@code GUEST_SID_MATCHED}: SID in no SID_MATCH slot &rarr; ILL_ACCESS</li>
 *   <li>otherwise NONE</li>
 * </ol>
 * Trapped CMDQ: no row &rarr; ILL; {@code TRAP_SSEC_CHECKED} and SSec = 1 &rarr; ILL; otherwise the row's
 * {@link TrapHandling}, resolved against the VM's vSIDs. A FORWARD then meets the host's main CMDQ, which
 * the kernel reaches with only opcode and SID checked (vcmdq-viommu.md §3.7): when the main CMDQ's field
 * rules above (non-strict: the host SMMU checks no RES0 bits) refuse it, the host's GERROR handler skips
 * it (smmuv3-cmdq.md §1.4-1.5) and the verdict is FORWARD_SKIPPED. The VMID and SID the kernel rewrites
 * take part in no field rule, so the rules are applied to the guest's words.
 */
public final class CerrorOracle
{
    /** SSec, dw0 bit 10 (smmuv3-cmdq.md §2.2 CFGI_STE). */
    static final long SSEC_BIT = 1L << 10;
    /** NUM, dw0 16:12 (§2.2 TLBI_NH_VA). */
    static final long NUM_MASK = 0x1FL << 12;
    /** SCALE, dw0 24:20. */
    static final long SCALE_MASK = 0x1FL << 20;
    /** TTL, dw1 9:8. */
    static final long TTL_MASK = 0x3L << 8;
    /** TG, dw1 11:10. */
    static final long TG_MASK = 0x3L << 10;
    /** ATC_INV Size, dw1 5:0 (§2.2 ATC_INV). */
    static final long ATC_SIZE_MASK = 0x3FL;
    /** Largest legal ATC_INV Size (IHI0070 §4.5.1). */
    static final long MAX_ATC_SIZE = 52;
    /** TG value of the 16 KiB granule (1 = 4 KiB, 2 = 16 KiB, 3 = 64 KiB; smmuv3-cmdq.md §2.2). */
    static final long TG_16K = 2L << 10;
    /** TTL value 1 (level 1). */
    static final long TTL_1 = 1L << 8;
    /** CFGI_STE_RANGE Range, dw1 4:0 (§2.2 CFGI_ALL). */
    static final long STE_RANGE_MASK = 0x1FL;

    private static final int KNOWN = 1 << 16;

    private final int[] flags = new int[256];
    private final long[] used0 = new long[256];
    private final long[] used1 = new long[256];
    private final int[] trap = new int[256];
    private final int[] reservedDword = new int[256];
    private final long[] reservedMask = new long[256];
    private final long[] reservedValue = new long[256];

    /**
     * Copies the table into opcode-indexed arrays (one lookup per command, no pointer chasing).
     */
    public CerrorOracle()
    {
        for (int op = 0; op < 256; op++)
        {
            final CommandRule row = CommandRuleTable.row(op);
            if (row == null)
            {
                trap[op] = TrapHandling.ILLEGAL;
                continue;
            }
            flags[op] = row.flags() | KNOWN;
            used0[op] = row.usedDword0();
            used1[op] = row.usedDword1();
            trap[op] = row.trapHandling();
            final FieldSpan reserved = row.reservedValueField();
            if (reserved != null)
            {
                reservedDword[op] = reserved.dword();
                reservedMask[op] = reserved.mask();
                reservedValue[op] = row.reservedValue() << reserved.lsb();
            }
        }
    }

    /**
     * @param kind    the queue the command is fed into.
     * @param dword0  the command's first dword.
     * @param dword1  its second dword.
     * @param context the VM's vSIDs and the modes.
     * @return the predicted {@link FuzzOutcome}.
     */
    public int expected(final FuzzQueueKind kind, final long dword0, final long dword1, final FuzzContext context)
    {
        return FuzzVerdict.outcome(verdict(kind, dword0, dword1, context));
    }

    /**
     * @param kind    the queue the command is fed into.
     * @param dword0  the command's first dword.
     * @param dword1  its second dword.
     * @param context the VM's vSIDs and the modes.
     * @return the predicted outcome and the deciding rule, packed ({@link FuzzVerdict}).
     */
    public int verdict(final FuzzQueueKind kind, final long dword0, final long dword1, final FuzzContext context)
    {
        final int op = (int)(dword0 & CommandRule.OPCODE_MASK);
        return kind == FuzzQueueKind.TRAPPED_CMDQ ?
            trapped(op, dword0, dword1, context) : device(kind == FuzzQueueKind.GUEST_VCMDQ, op, dword0, dword1, context);
    }

    private int device(final boolean guest, final int op, final long dword0, final long dword1, final FuzzContext context)
    {
        final int f = flags[op];
        if ((f & KNOWN) == 0)
        {
            return FuzzVerdict.of(OracleRule.UNKNOWN_OPCODE, FuzzOutcome.ILL);
        }
        if ((f & CommandRule.SECURE_ONLY) != 0)
        {
            return FuzzVerdict.of(OracleRule.SECURE_ONLY, FuzzOutcome.ILL);
        }
        if (guest)
        {
            if ((f & CommandRule.GUEST_ALLOWED) == 0)
            {
                return FuzzVerdict.of(OracleRule.NOT_ALLOWED, FuzzOutcome.ILL_ACCESS);
            }
            if ((f & CommandRule.GUEST_CS_NONE) != 0 && (dword0 & CommandRuleTable.SYNC_CS.mask()) != 0)
            {
                return FuzzVerdict.of(OracleRule.SYNC_CS_NOT_NONE, FuzzOutcome.ILL_ACCESS);
            }
        }
        final int fields = fieldRules(f, dword0, dword1);
        if (fields != OracleRule.ACCEPTED)
        {
            return FuzzVerdict.of(fields, FuzzOutcome.ILL);
        }
        if (context.strictReservedBits())
        {
            if ((dword0 & ~used0[op]) != 0 || (dword1 & ~used1[op]) != 0)
            {
                return FuzzVerdict.of(OracleRule.RES0_BIT, FuzzOutcome.ILL);
            }
            final long mask = reservedMask[op];
            if (mask != 0 && ((reservedDword[op] == 0 ? dword0 : dword1) & mask) == reservedValue[op])
            {
                return FuzzVerdict.of(OracleRule.RESERVED_VALUE, FuzzOutcome.ILL);
            }
        }
        if (guest && (f & CommandRule.GUEST_SID_MATCHED) != 0 && !context.owns(dword0 >>> 32))
        {
            return FuzzVerdict.of(OracleRule.UNMATCHED_SID, FuzzOutcome.ILL_ACCESS);
        }
        return FuzzVerdict.of(OracleRule.ACCEPTED, FuzzOutcome.NONE);
    }

    /**
     * @return the first non-strict field rule of a device queue that refuses the command (SSec, reserved
     *         range, reserved TTL, ATC size), or {@link OracleRule#ACCEPTED}.
     */
    private static int fieldRules(final int f, final long dword0, final long dword1)
    {
        if ((f & CommandRule.HAS_SSEC) != 0 && (dword0 & SSEC_BIT) != 0)
        {
            return OracleRule.SSEC;
        }
        if ((f & CommandRule.RANGE_TLBI) != 0)
        {
            if (isReservedRange(dword0, dword1))
            {
                return OracleRule.RESERVED_RANGE;
            }
            if (isReservedTtl(dword0, dword1))
            {
                return OracleRule.RESERVED_TTL;
            }
        }
        if ((f & CommandRule.ATC_SIZE_CAPPED) != 0 && (dword1 & ATC_SIZE_MASK) > MAX_ATC_SIZE)
        {
            return OracleRule.ATC_SIZE;
        }
        return OracleRule.ACCEPTED;
    }

    private int forwarded(final int f, final long dword0, final long dword1)
    {
        return fieldRules(f, dword0, dword1) == OracleRule.ACCEPTED ?
            FuzzVerdict.of(OracleRule.TRAP_ACTION, FuzzOutcome.FORWARD) :
            FuzzVerdict.of(OracleRule.TRAP_HOST_SKIPPED, FuzzOutcome.FORWARD_SKIPPED);
    }

    private int trapped(final int op, final long dword0, final long dword1, final FuzzContext context)
    {
        final int f = flags[op];
        if ((f & KNOWN) == 0)
        {
            return FuzzVerdict.of(OracleRule.UNKNOWN_OPCODE, FuzzOutcome.ILL);
        }
        if ((f & CommandRule.TRAP_SSEC_CHECKED) != 0 && (dword0 & SSEC_BIT) != 0)
        {
            return FuzzVerdict.of(OracleRule.SSEC, FuzzOutcome.ILL);
        }
        final long sid = dword0 >>> 32;
        switch (trap[op])
        {
            case TrapHandling.FORWARD:
                return forwarded(f, dword0, dword1);
            case TrapHandling.FORWARD_BY_SID:
                return context.owns(sid) ?
                    forwarded(f, dword0, dword1) :
                    FuzzVerdict.of(OracleRule.TRAP_UNOWNED_SID, context.unownedSidTrapOutcome());
            case TrapHandling.REINSTALL_BY_SID:
                return context.owns(sid) ?
                    FuzzVerdict.of(OracleRule.TRAP_ACTION, FuzzOutcome.REINSTALL_STE) :
                    FuzzVerdict.of(OracleRule.TRAP_NO_DEVICE, FuzzOutcome.IGNORE);
            case TrapHandling.REINSTALL_BY_RANGE:
                // 2^(Range+1) SIDs from SID & ~(2^(Range+1) - 1) (smmuv3-cmdq.md §2.2 CFGI_ALL).
                return context.ownsAnyIn(sid, (int)(dword1 & STE_RANGE_MASK) + 1) ?
                    FuzzVerdict.of(OracleRule.TRAP_ACTION, FuzzOutcome.REINSTALL_STE) :
                    FuzzVerdict.of(OracleRule.TRAP_NO_DEVICE, FuzzOutcome.IGNORE);
            case TrapHandling.COMPLETE:
                return FuzzVerdict.of(OracleRule.TRAP_ACTION, FuzzOutcome.COMPLETE_SYNC);
            case TrapHandling.IGNORE:
                return FuzzVerdict.of(OracleRule.TRAP_ACTION, FuzzOutcome.IGNORE);
            default:
                return FuzzVerdict.of(OracleRule.TRAP_UNSUPPORTED, FuzzOutcome.ILL);
        }
    }

    /**
     * @param dword0 a range-capable TLBI's dw0.
     * @param dword1 its dw1.
     * @return true for TG != 0 with NUM = SCALE = TTL = 0, the encoding linux-unmap-sequences.md §3.2 calls
     *         reserved.
     */
    static boolean isReservedRange(final long dword0, final long dword1)
    {
        return (dword1 & TG_MASK) != 0 && (dword0 & (NUM_MASK | SCALE_MASK)) == 0 && (dword1 & TTL_MASK) == 0;
    }

    /**
     * @param dword0 a range-capable TLBI's dw0.
     * @param dword1 its dw1.
     * @return true for TG = 16K with TTL = 1 and NUM = SCALE = 0: a 16 KiB granule has no level-1 entry,
     *         IHI0070 §4.4.1.1 makes the TTL reserved.
     */
    static boolean isReservedTtl(final long dword0, final long dword1)
    {
        return (dword1 & TG_MASK) == TG_16K && (dword1 & TTL_MASK) == TTL_1 && (dword0 & (NUM_MASK | SCALE_MASK)) == 0;
    }
}
