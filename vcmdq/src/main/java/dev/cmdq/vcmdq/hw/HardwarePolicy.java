package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.validate.ReservedBits;

import java.util.List;

/**
 * Every hardware behaviour of the model that no public source documents, in one immutable object, so
 * that each one is a named, visible assumption (printed by {@link #describe()} with every report) rather
 * than a constant buried in the engine. The names are stable: reports and tests refer to them.
 *
 * <ul>
 *   <li><b>{@code arbitration}</b> — the engine serves its queues round-robin: the main CMDQ first, then
 *       the enabled VCMDQs in ascending global index; each turn drains at most {@link #quantum()} entries
 *       of one queue; with {@link #rotate()} each duty cycle starts one queue later, so no queue is
 *       always first. A non-empty queue is therefore served in every duty cycle, whatever the others
 *       hold. (The real arbiter is undocumented.)</li>
 *   <li><b>{@code forbiddenCommand}</b> — a guest-owned VCMDQ (HYP_OWN=0) that meets a command outside its
 *       allow-list (vcmdq-viommu.md §2) halts on it with {@link #forbiddenCommandError()}
 *       (CERROR_ILL_ACCESS, 4): only that queue, with CONS.ERR set, its GERROR.CMDQ_ERR toggled and its
 *       error-map bits set (§1.9). The driver never sends such commands; that the hardware faults them is
 *       inferred from the existence of ILL_ACCESS.</li>
 *   <li><b>{@code unmatchedSid}</b> — an ATC_INV on a guest-owned VCMDQ whose SID matches no enabled
 *       SID_MATCH slot of the VINTF halts the queue like a forbidden command, with
 *       {@link #unmatchedSidError()} (CERROR_ILL_ACCESS); §1.8 calls this "likely an error".</li>
 *   <li><b>{@code fetchAbort}</b> — a VCMDQ whose BASE range is not wholly inside the memory attached to
 *       it halts with CERROR_ABT as soon as it is enabled (the ring cannot be fetched) and again after
 *       each acknowledge, as long as BASE stays bad (SMMUv3: the fetch is retried after the
 *       acknowledge).</li>
 *   <li><b>{@code errorMap}</b> — CMDQ_ERR_MAP, the VINTF's LVCMDQ_ERR_MAP and VI_ERR_MAP bits of a
 *       queue are set when it halts and cleared when the engine sees the queue's error acknowledged
 *       (GERRORN written back) or the queue disabled; a VI_ERR_MAP bit stays set while any queue of the VINTF
 *       is in error.</li>
 *   <li><b>{@code vcmdqSync}</b> — a VCMDQ's CMD_SYNC never writes back (CS=NONE only, §1.7); a host
 *       VCMDQ's sync with CS=IRQ/SEV completes silently, like CS=NONE.</li>
 *   <li><b>{@code enableUnmapped}</b> — enabling a VCMDQ (CONFIG.CMDQ_EN) while CMDQV or its VINTF is
 *       disabled or its CMDQ_ALLOC is clear leaves STATUS.CMDQ_EN_OK clear and raises
 *       GERROR.CMDQ_INIT_ERR (the bit QEMU uses for a failed allocation, §1.10).</li>
 *   <li><b>{@code reservedBits}</b> — whether RES0 bits raise CERROR_ILL ({@link #reservedBits()}; the
 *       architecture allows either).</li>
 * </ul>
 */
public final class HardwarePolicy
{
    /** Entries one queue may drain per turn unless configured otherwise. */
    public static final int DEFAULT_QUANTUM = 16;

    /** The assumptions listed above, with their defaults. */
    public static final HardwarePolicy DEFAULT = new HardwarePolicy(
        DEFAULT_QUANTUM, true, CommandError.ILL_ACCESS, CommandError.ILL_ACCESS, ReservedBits.IGNORED);

    private final int quantum;
    private final boolean rotate;
    private final int forbiddenCommandError;
    private final int unmatchedSidError;
    private final ReservedBits reservedBits;

    /**
     * @param quantum               entries per queue per turn, {@code >= 1}.
     * @param rotate                whether each duty cycle starts one queue later.
     * @param forbiddenCommandError CERROR for a command outside a guest VCMDQ's allow-list, 1..127.
     * @param unmatchedSidError     CERROR for a guest ATC_INV whose SID matches no slot, 1..127.
     * @param reservedBits          whether RES0 bits are checked.
     * @throws IllegalArgumentException naming the offending argument.
     */
    public HardwarePolicy(
        final int quantum,
        final boolean rotate,
        final int forbiddenCommandError,
        final int unmatchedSidError,
        final ReservedBits reservedBits)
    {
        if (quantum < 1)
        {
            throw new IllegalArgumentException("quantum=" + quantum + " is below 1");
        }
        checkError("forbiddenCommandError", forbiddenCommandError);
        checkError("unmatchedSidError", unmatchedSidError);
        if (reservedBits == null)
        {
            throw new NullPointerException("reservedBits");
        }
        this.quantum = quantum;
        this.rotate = rotate;
        this.forbiddenCommandError = forbiddenCommandError;
        this.unmatchedSidError = unmatchedSidError;
        this.reservedBits = reservedBits;
    }

    private static void checkError(final String name, final int code)
    {
        // CONS.ERR is 7 bits and 0 means "no error": anything else could not halt a queue.
        if (code < 1 || code > 0x7F)
        {
            throw new IllegalArgumentException(name + "=" + code + " is not a CERROR code 1..127");
        }
    }

    /**
     * @param quantum entries per queue per turn, {@code >= 1}.
     * @return this policy with another quantum.
     */
    public HardwarePolicy withQuantum(final int quantum)
    {
        return new HardwarePolicy(quantum, rotate, forbiddenCommandError, unmatchedSidError, reservedBits);
    }

    /**
     * @param rotate whether each duty cycle starts one queue later.
     * @return this policy with another rotation rule.
     */
    public HardwarePolicy withRotate(final boolean rotate)
    {
        return new HardwarePolicy(quantum, rotate, forbiddenCommandError, unmatchedSidError, reservedBits);
    }

    /**
     * @param reservedBits whether RES0 bits are checked.
     * @return this policy with another reserved-bit rule.
     */
    public HardwarePolicy withReservedBits(final ReservedBits reservedBits)
    {
        return new HardwarePolicy(quantum, rotate, forbiddenCommandError, unmatchedSidError, reservedBits);
    }

    /**
     * @return entries one queue drains at most per turn.
     */
    public int quantum()
    {
        return quantum;
    }

    /**
     * @return true when each duty cycle starts one queue later than the previous one.
     */
    public boolean rotate()
    {
        return rotate;
    }

    /**
     * @return the CERROR a guest VCMDQ halts with on a command outside its allow-list.
     */
    public int forbiddenCommandError()
    {
        return forbiddenCommandError;
    }

    /**
     * @return the CERROR a guest VCMDQ halts with on an ATC_INV whose SID matches no slot.
     */
    public int unmatchedSidError()
    {
        return unmatchedSidError;
    }

    /**
     * @return whether RES0 bits raise CERROR_ILL.
     */
    public ReservedBits reservedBits()
    {
        return reservedBits;
    }

    /**
     * @return one line per named assumption with its value, for every report.
     */
    public List<String> describe()
    {
        return List.of(
            "arbitration=round-robin main CMDQ then VCMDQs by index, quantum=" + quantum + ", rotate=" + rotate,
            "forbiddenCommand=halt that queue only, " + CommandError.name(forbiddenCommandError) + " (inferred)",
            "unmatchedSid=halt that queue only, " + CommandError.name(unmatchedSidError) + " (undocumented)",
            "fetchAbort=halt with CERROR_ABT when BASE is outside attached memory, again after each acknowledge",
            "errorMap=bits set on halt, cleared when the acknowledge is seen or the queue is disabled",
            "vcmdqSync=no write-back on a VCMDQ (CS=NONE semantics)",
            "enableUnmapped=CMDQ_EN_OK stays clear, GERROR.CMDQ_INIT_ERR raised",
            "reservedBits=" + reservedBits);
    }

    @Override
    public String toString()
    {
        return "HardwarePolicy" + describe();
    }
}
