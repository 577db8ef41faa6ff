package dev.cmdq.bench.fuzz;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.MutableDirectBuffer;

/**
 * Seeded source of fuzz commands: fully random words, plausible valid commands of every opcode the queue
 * kind accepts (built field by field from {@link CommandRuleTable}, with realistic VMIDs, ASIDs, page
 * addresses and SIDs from the VM's owned vSIDs), and plausible commands with exactly one corrupted field.
 * {@link #next} writes the command little-endian into the caller's slot and remembers what it made: the
 * flavour, the corruption, the uncorrupted base command, the bits it changed and the outcome the
 * corruption is <i>intended</i> to cause. That intent is this class's own, separately written statement of
 * the rules; a test holds it against {@link CerrorOracle}. Allocation-free per command; not thread-safe
 * (one generator per fuzzing thread).
 */
public final class FuzzCommandGenerator
{
    /** Intended outcome: whatever the uncorrupted base command gets (the corruption is harmless there). */
    public static final int AS_BASE = -1;
    /** Intended outcome: the generator states none (random words, valid commands on the trapped path). */
    public static final int NO_INTENT = -2;

    private static final int OPCODE = 0xFF;
    private static final long SSEC_BIT = 1L << 10;
    private static final int KINDS = FuzzQueueKind.count();
    private static final int CORRUPTIONS = FuzzCorruption.count();

    private final SplittableRandom random;
    private final FuzzContext context;
    private final int randomWeight;
    private final int validWeight;
    private final int totalWeight;
    private final CommandRule[][] validRows = new CommandRule[KINDS][];
    private final CommandRule[][][] corruptionBases = new CommandRule[KINDS][CORRUPTIONS][];
    private final FuzzCorruption[][] corruptionsOf = new FuzzCorruption[KINDS][];
    private final int[] unknownOpcodes;
    private final int[] guestForbiddenOpcodes;
    private final long[] flavourCounts = new long[FuzzFlavour.count()];
    private final long[] corruptionCounts = new long[CORRUPTIONS];

    private FuzzFlavour flavour = FuzzFlavour.RANDOM;
    private FuzzCorruption corruption = FuzzCorruption.NONE;
    private long dword0;
    private long dword1;
    private long baseDword0;
    private long baseDword1;
    private long changedMask0;
    private long changedMask1;
    private int intendedOutcome = NO_INTENT;

    /**
     * @param seed            the seed; equal seeds and calls give equal commands.
     * @param randomWeight    relative weight of {@link FuzzFlavour#RANDOM}.
     * @param validWeight     relative weight of {@link FuzzFlavour#VALID}.
     * @param corruptedWeight relative weight of {@link FuzzFlavour#CORRUPTED}.
     * @param context         the VM's vSIDs (valid SIDs are drawn from them) and modes (for intents).
     */
    public FuzzCommandGenerator(
        final long seed, final int randomWeight, final int validWeight, final int corruptedWeight, final FuzzContext context)
    {
        if (randomWeight < 0 || validWeight < 0 || corruptedWeight < 0 || randomWeight + validWeight + corruptedWeight <= 0)
        {
            throw new IllegalArgumentException("weights must be >= 0 with a positive sum, were random=" + randomWeight
                + " valid=" + validWeight + " corrupted=" + corruptedWeight);
        }
        this.random = new SplittableRandom(seed);
        this.context = context;
        this.randomWeight = randomWeight;
        this.validWeight = validWeight;
        this.totalWeight = randomWeight + validWeight + corruptedWeight;
        this.unknownOpcodes = opcodes(false, false);
        this.guestForbiddenOpcodes = opcodes(true, true);
        for (final FuzzQueueKind kind : FuzzQueueKind.values())
        {
            buildPools(kind);
        }
    }

    private static int[] opcodes(final boolean known, final boolean guestForbiddenOnly)
    {
        int n = 0;
        final int[] scratch = new int[256];
        for (int op = 0; op < 256; op++)
        {
            final CommandRule row = CommandRuleTable.row(op);
            final boolean take = known ?
                row != null && (!guestForbiddenOnly || !row.has(CommandRule.GUEST_ALLOWED) && !row.has(CommandRule.SECURE_ONLY))
                    : row == null;
            if (take)
            {
                scratch[n++] = op;
            }
        }
        return Arrays.copyOf(scratch, n);
    }

    private void buildPools(final FuzzQueueKind kind)
    {
        final int k = kind.ordinal();
        final boolean guest = kind == FuzzQueueKind.GUEST_VCMDQ;
        final boolean trapped = kind == FuzzQueueKind.TRAPPED_CMDQ;
        final List<CommandRule> accepted = new ArrayList<>();
        final List<CommandRule> valid = new ArrayList<>();
        for (int i = 0; i < CommandRuleTable.rowCount(); i++)
        {
            final CommandRule row = CommandRuleTable.rowAt(i);
            // Secure-only TLBIs are illegal on every device queue (IHI0070 §4.4.2.5-6): valid only trapped.
            if ((!guest || row.has(CommandRule.GUEST_ALLOWED)) && (trapped || !row.has(CommandRule.SECURE_ONLY)))
            {
                accepted.add(row);
                // a guest ATC_INV is valid only with an owned vSID: none owned, none valid
                if (!guest || !row.has(CommandRule.GUEST_SID_MATCHED) || context.ownedCount() > 0)
                {
                    valid.add(row);
                }
            }
        }
        validRows[k] = valid.toArray(new CommandRule[0]);
        final List<FuzzCorruption> applicable = new ArrayList<>();
        for (final FuzzCorruption c : FuzzCorruption.values())
        {
            final List<CommandRule> bases = new ArrayList<>();
            for (final CommandRule row : c == FuzzCorruption.UNOWNED_SID ? accepted : valid)
            {
                if (isBase(c, row, guest, trapped))
                {
                    bases.add(row);
                }
            }
            corruptionBases[k][c.ordinal()] = bases.toArray(new CommandRule[0]);
            if (c != FuzzCorruption.NONE && !bases.isEmpty())
            {
                applicable.add(c);
            }
        }
        corruptionsOf[k] = applicable.toArray(new FuzzCorruption[0]);
    }

    private static boolean isBase(final FuzzCorruption c, final CommandRule row, final boolean guest, final boolean trapped)
    {
        switch (c)
        {
            case RESERVED_BIT:
            case UNKNOWN_OPCODE:
                return true;
            case SSEC:
                // guest VCMDQ: no allowed command has SSec; trapped: only where QEMU checks it (§5.2)
                return !guest && row.has(trapped ? CommandRule.TRAP_SSEC_CHECKED : CommandRule.HAS_SSEC);
            case BAD_SYNC_CS:
                return row.opcode() == 0x46;
            case BAD_PRI_RESP:
                return row.opcode() == 0x41;
            case RESERVED_RANGE:
                return row.has(CommandRule.RANGE_TLBI);
            case FORBIDDEN_OPCODE:
                return guest;
            case UNOWNED_SID:
                if (guest)
                {
                    return row.opcode() == 0x40;
                }
                if (trapped)
                {
                    return row.opcode() == 0x40 || row.opcode() == 0x05 || row.opcode() == 0x06 || row.opcode() == 0x03;
                }
                return row.fieldWithRole(FieldSpan.ROLE_SID) != null;
            default:
                return false;
        }
    }

    /**
     * Makes the next command for {@code kind} and writes it little-endian to {@code buffer} at
     * {@code offset} (dw0 at offset, dw1 at offset + 8, as in a ring slot).
     *
     * @param kind   the queue it is meant for (decides which opcodes are valid and which corruptions apply).
     * @param buffer the caller's slot.
     * @param offset its offset.
     */
    public void next(final FuzzQueueKind kind, final MutableDirectBuffer buffer, final int offset)
    {
        final int pick = random.nextInt(totalWeight);
        if (pick < randomWeight)
        {
            flavour = FuzzFlavour.RANDOM;
            corruption = FuzzCorruption.NONE;
            dword0 = random.nextLong();
            dword1 = random.nextLong();
            baseDword0 = dword0;
            baseDword1 = dword1;
            changedMask0 = 0;
            changedMask1 = 0;
            intendedOutcome = NO_INTENT;
        }
        else if (pick < randomWeight + validWeight)
        {
            flavour = FuzzFlavour.VALID;
            corruption = FuzzCorruption.NONE;
            final CommandRule[] rows = validRows[kind.ordinal()];
            build(rows[random.nextInt(rows.length)], kind, false);
            dword0 = baseDword0;
            dword1 = baseDword1;
            changedMask0 = 0;
            changedMask1 = 0;
            // A well-formed command of an accepted opcode with owned SIDs: executed by every device queue.
            intendedOutcome = kind.isDeviceQueue() ? FuzzOutcome.NONE : NO_INTENT;
        }
        else
        {
            flavour = FuzzFlavour.CORRUPTED;
            final FuzzCorruption[] choices = corruptionsOf[kind.ordinal()];
            corruption = choices[random.nextInt(choices.length)];
            final CommandRule[] bases = corruptionBases[kind.ordinal()][corruption.ordinal()];
            final CommandRule row = bases[random.nextInt(bases.length)];
            build(row, kind, corruption == FuzzCorruption.RESERVED_RANGE);
            corrupt(row, kind);
        }
        flavourCounts[flavour.ordinal()]++;
        corruptionCounts[corruption.ordinal()]++;
        buffer.putLong(offset, dword0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + 8, dword1, ByteOrder.LITTLE_ENDIAN);
    }

    private void build(final CommandRule row, final FuzzQueueKind kind, final boolean forceRange)
    {
        long d0 = row.opcode();
        long d1 = 0;
        for (int i = 0; i < row.fieldCount(); i++)
        {
            final FieldSpan f = row.field(i);
            final long value = plausible(f, row, kind);
            if (f.dword() == 0)
            {
                d0 = f.set(d0, value);
            }
            else
            {
                d1 = f.set(d1, value);
            }
        }
        if (row.has(CommandRule.RANGE_TLBI))
        {
            final FieldSpan num = row.fieldWithRole(FieldSpan.ROLE_RANGE_NUM);
            final FieldSpan scale = row.fieldWithRole(FieldSpan.ROLE_RANGE_SCALE);
            final FieldSpan ttl = row.fieldWithRole(FieldSpan.ROLE_RANGE_TTL);
            final FieldSpan tg = row.fieldWithRole(FieldSpan.ROLE_RANGE_TG);
            if (!forceRange && random.nextBoolean())
            {
                // Not a range command (the per-granule path, linux-unmap-sequences.md §3.1).
                d0 = scale.set(num.set(d0, 0), 0);
                d1 = tg.set(ttl.set(d1, 0), 0);
            }
            else
            {
                d1 = tg.set(d1, 1 + random.nextInt(3));
                // TTL = 0, or TTL = 1 at a 16 KiB granule (no level-1 entry, IHI0070 §4.4.1.1), needs NUM or
                // SCALE to be a valid range command
                if (num.get(d0) == 0 && scale.get(d0) == 0 && (ttl.get(d1) == 0 || ttl.get(d1) == 1 && tg.get(d1) == 2))
                {
                    d0 = num.set(d0, 1 + random.nextInt(31));
                }
            }
        }
        baseDword0 = d0;
        baseDword1 = d1;
    }

    private long plausible(final FieldSpan f, final CommandRule row, final FuzzQueueKind kind)
    {
        switch (f.role())
        {
            case FieldSpan.ROLE_SSEC:
                return 0;
            case FieldSpan.ROLE_SID:
                return context.ownedCount() == 0 ? random.nextInt(1 << 20) : context.ownedVsid(random.nextInt(context.ownedCount()));
            case FieldSpan.ROLE_VMID:
                return random.nextInt(4) == 0 ? random.nextInt(1 << 16) : 1 + random.nextInt(255);
            case FieldSpan.ROLE_ASID:
                return random.nextInt(1 << 16);
            case FieldSpan.ROLE_ADDR:
                // a page of a 48-bit address space (the field starts at bit 12)
                return random.nextLong() >>> (64 - Math.min(f.width(), 36));
            case FieldSpan.ROLE_ENUM3:
                return row.opcode() == 0x46 && kind == FuzzQueueKind.GUEST_VCMDQ ? 0 : random.nextInt(3);
            case FieldSpan.ROLE_ATC_SIZE:
                return random.nextInt(53);
            default:
                return f.width() == 64 ? random.nextLong() : random.nextLong() & ((1L << f.width()) - 1);
        }
    }

    private void corrupt(final CommandRule row, final FuzzQueueKind kind)
    {
        final boolean device = kind.isDeviceQueue();
        final boolean strict = context.strictReservedBits();
        long d0 = baseDword0;
        long d1 = baseDword1;
        long m0 = 0;
        long m1 = 0;
        int intent;
        switch (corruption)
        {
            case RESERVED_BIT:
            {
                final long free0 = ~row.usedDword0();
                final long free1 = ~row.usedDword1();
                int k = random.nextInt(Long.bitCount(free0) + Long.bitCount(free1));
                if (k < Long.bitCount(free0))
                {
                    m0 = nthSetBit(free0, k);
                }
                else
                {
                    m1 = nthSetBit(free1, k - Long.bitCount(free0));
                }
                d0 |= m0;
                d1 |= m1;
                intent = device && strict ? FuzzOutcome.ILL : AS_BASE;
                break;
            }
            case SSEC:
                m0 = SSEC_BIT;
                d0 |= m0;
                intent = FuzzOutcome.ILL;
                break;
            case BAD_SYNC_CS:
            {
                final FieldSpan cs = CommandRuleTable.SYNC_CS;
                m0 = cs.mask();
                if (kind == FuzzQueueKind.GUEST_VCMDQ)
                {
                    d0 = cs.set(d0, 1 + random.nextInt(3));
                    intent = FuzzOutcome.ILL_ACCESS;
                }
                else
                {
                    d0 = cs.set(d0, 3);
                    intent = device && strict ? FuzzOutcome.ILL : AS_BASE;
                }
                break;
            }
            case BAD_PRI_RESP:
            {
                final FieldSpan resp = CommandRuleTable.PRI_RESP_RESP;
                m1 = resp.mask();
                d1 = resp.set(d1, 3);
                intent = device && strict ? FuzzOutcome.ILL : AS_BASE;
                break;
            }
            case RESERVED_RANGE:
            {
                final FieldSpan num = row.fieldWithRole(FieldSpan.ROLE_RANGE_NUM);
                final FieldSpan scale = row.fieldWithRole(FieldSpan.ROLE_RANGE_SCALE);
                final FieldSpan ttl = row.fieldWithRole(FieldSpan.ROLE_RANGE_TTL);
                m0 = num.mask() | scale.mask();
                m1 = ttl.mask();
                d0 &= ~m0;
                d1 &= ~m1;
                // trapped: QEMU forwards it; the host's main CMDQ refuses it and the host skips it
                intent = device ? FuzzOutcome.ILL
                    : row.trapHandling() == TrapHandling.FORWARD ? FuzzOutcome.FORWARD_SKIPPED : AS_BASE;
                break;
            }
            case FORBIDDEN_OPCODE:
                m0 = OPCODE;
                d0 = (d0 & ~OPCODE) | guestForbiddenOpcodes[random.nextInt(guestForbiddenOpcodes.length)];
                intent = FuzzOutcome.ILL_ACCESS;
                break;
            case UNKNOWN_OPCODE:
                m0 = OPCODE;
                d0 = (d0 & ~OPCODE) | unknownOpcodes[random.nextInt(unknownOpcodes.length)];
                intent = FuzzOutcome.ILL;
                break;
            case UNOWNED_SID:
                m0 = 0xFFFF_FFFF_0000_0000L;
                d0 = (d0 & ~m0) | unownedSid() << 32;
                if (kind == FuzzQueueKind.GUEST_VCMDQ)
                {
                    intent = FuzzOutcome.ILL_ACCESS;
                }
                else if (kind == FuzzQueueKind.TRAPPED_CMDQ)
                {
                    // CFGI_STE names a device that does not exist: QEMU does nothing. The others go to the host.
                    intent = row.opcode() == 0x03 ? FuzzOutcome.IGNORE : context.unownedSidTrapOutcome();
                }
                else
                {
                    intent = AS_BASE;
                }
                break;
            default:
                throw new IllegalStateException("no corruption chosen");
        }
        dword0 = d0;
        dword1 = d1;
        changedMask0 = m0;
        changedMask1 = m1;
        intendedOutcome = intent;
    }

    private long unownedSid()
    {
        while (true)
        {
            // mostly 20-bit vSIDs (what a VMM hands out), sometimes any 32-bit value
            final long sid = random.nextInt(4) == 0 ? random.nextLong() >>> 32 : random.nextInt(1 << 20);
            if (!context.owns(sid))
            {
                return sid;
            }
        }
    }

    private static long nthSetBit(final long bits, final int n)
    {
        long rest = bits;
        for (int i = 0; i < n; i++)
        {
            rest &= rest - 1;
        }
        return Long.lowestOneBit(rest);
    }

    /**
     * @return dw0 of the last command.
     */
    public long dword0()
    {
        return dword0;
    }

    /**
     * @return dw1 of the last command.
     */
    public long dword1()
    {
        return dword1;
    }

    /**
     * @return the last command's flavour.
     */
    public FuzzFlavour flavour()
    {
        return flavour;
    }

    /**
     * @return the last command's corruption ({@link FuzzCorruption#NONE} unless corrupted).
     */
    public FuzzCorruption corruption()
    {
        return corruption;
    }

    /**
     * @return dw0 of the valid command the last one was corrupted from (equal to {@link #dword0()} if none).
     */
    public long baseDword0()
    {
        return baseDword0;
    }

    /**
     * @return dw1 of that valid command.
     */
    public long baseDword1()
    {
        return baseDword1;
    }

    /**
     * @return the dw0 bits the corruption was allowed to change (the corrupted field).
     */
    public long changedMask0()
    {
        return changedMask0;
    }

    /**
     * @return the dw1 bits the corruption was allowed to change.
     */
    public long changedMask1()
    {
        return changedMask1;
    }

    /**
     * @return the {@link FuzzOutcome} the last command is meant to cause, {@link #AS_BASE} or {@link #NO_INTENT}.
     */
    public int intendedOutcome()
    {
        return intendedOutcome;
    }

    /**
     * @param f a flavour.
     * @return commands of that flavour generated so far.
     */
    public long count(final FuzzFlavour f)
    {
        return flavourCounts[f.ordinal()];
    }

    /**
     * @param c a corruption.
     * @return commands with that corruption generated so far.
     */
    public long count(final FuzzCorruption c)
    {
        return corruptionCounts[c.ordinal()];
    }

    /**
     * @param kind a queue kind.
     * @return the corruptions that apply to it (a copy).
     */
    public FuzzCorruption[] corruptionsFor(final FuzzQueueKind kind)
    {
        return corruptionsOf[kind.ordinal()].clone();
    }
}
