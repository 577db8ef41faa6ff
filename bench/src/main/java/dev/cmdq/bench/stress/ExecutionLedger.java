package dev.cmdq.bench.stress;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.TlbiLayout;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import dev.cmdq.vcmdq.hw.CommandExecution;

/**
 * Who each command an SMMU executed belongs to, counted at execution (never at issue, or the check could
 * not fail): the harness puts one {@link #tap tap} per physical SMMU between the testbed's execution gate
 * and the SMMU's caches, and the tap attributes every non-sync command by what it names after
 * substitution or translation — its VMID or its physical StreamID.
 *
 * <pre>
 *   engine --&gt; ExecutionGate --&gt; [test fault] --&gt; tap(smmu) --&gt; SmmuCaches
 *
 *   per SMMU s, counted by the tap, settled (read and zeroed) by the owner's worker:
 *     vmid[s][v]      TLBI_NH_ALL / NH_ASID / NH_VA / NH_VAA, TLBI_S2_IPA   the guest's (VMID substituted)
 *     hostVmall[s][v] TLBI_S12_VMALL                                        the host's, once per VMID release
 *     psid[s][p]      CFGI_STE / STE_RANGE / CD / CD_ALL, ATC_INV, PREFETCH  the guest's (vSID translated); a
 *                                                                          host CFGI_STE (sent only for a guest's
 *                                                                          CFGI_STE, which stress never sends)
 *                                                                          would land here and break the books
 *     unowned[s]      any other non-sync command (and a pSID beyond the space): nobody issued it
 *     CMD_SYNC        not counted (the gate counts syncs)
 * </pre>
 *
 * <p>An owner's books are settled when it is released, once nothing of it can be in flight (every issue of
 * the harness waits for its CMD_SYNC) — a pSID after its device's hot-unplug (on a CMDQV vIOMMU after the
 * host's drain and sync), a VMID after its VM's teardown (after the host's TLBI_S12_VMALL and sync) — with {@link #settleVmid}, {@link #settleHostVmall}, {@link #settlePsid}, which take
 * the count and zero it atomically, so a command executing for a reused VMID or a stray one is never
 * lost between the read and the reset. What is still on the books after every VM was torn down
 * ({@link #leftover()}) executed for no VM, or after its owner was settled.
 *
 * <p>Threads: a tap runs on its SMMU's engine thread, inside the gate; settlement on worker threads.
 * Counters are {@link AtomicLongArray} slots updated with atomic read-modify-writes on both sides. The
 * tap allocates nothing.
 */
final class ExecutionLedger
{
    /** pSIDs the books hold: SID_REPLACE's bits, the most a CMDQV vDEVICE may have (the host refuses more). */
    static final int PSID_SPACE = CmdqvLayout.SID_MAX + 1;
    /** VMIDs the books hold (16-bit VMIDs). */
    static final int VMID_SPACE = 1 << 16;

    private static final byte IGNORED = 0;
    private static final byte BY_VMID = 1;
    private static final byte HOST_VMALL = 2;
    private static final byte BY_PSID = 3;
    private static final byte UNOWNED = 4;
    /** Owner kind of each opcode byte, from the opcode table (its family and fields), not from bit positions. */
    private static final byte[] KIND = new byte[256];

    static
    {
        for (int value = 0; value < KIND.length; value++)
        {
            KIND[value] = kindOf(Opcode.of(value));
        }
    }

    private final AtomicLongArray[] vmid;
    private final AtomicLongArray[] hostVmall;
    private final AtomicLongArray[] psid;
    private final AtomicLongArray unowned;
    /** The last unowned command's dword 0 per SMMU, for the message. */
    private final AtomicLongArray lastUnowned;

    /**
     * @param smmus physical SMMUs, {@code >= 1}.
     * @throws IllegalArgumentException naming {@code smmus} when below 1.
     */
    ExecutionLedger(final int smmus)
    {
        if (smmus < 1)
        {
            throw new IllegalArgumentException("smmus=" + smmus + " is below 1");
        }
        vmid = new AtomicLongArray[smmus];
        hostVmall = new AtomicLongArray[smmus];
        psid = new AtomicLongArray[smmus];
        for (int s = 0; s < smmus; s++)
        {
            vmid[s] = new AtomicLongArray(VMID_SPACE);
            hostVmall[s] = new AtomicLongArray(VMID_SPACE);
            psid[s] = new AtomicLongArray(PSID_SPACE);
        }
        unowned = new AtomicLongArray(smmus);
        lastUnowned = new AtomicLongArray(smmus);
    }

    private static byte kindOf(final Opcode opcode)
    {
        final CommandFamily family = opcode.family();
        if (opcode == Opcode.CMD_SYNC)
        {
            return IGNORED;
        }
        if (opcode == Opcode.TLBI_S12_VMALL)
        {
            return HOST_VMALL;
        }
        if (family == CommandFamily.TLBI && opcode.has(TlbiLayout.VMID))
        {
            return BY_VMID;
        }
        if ((family == CommandFamily.CFGI || family == CommandFamily.ATC_INV || family == CommandFamily.PREFETCH) &&
            opcode.has(CommandLayout.SID))
        {
            return BY_PSID;
        }
        return UNOWNED;
    }

    /**
     * @param smmu   the physical SMMU the tap stands in front of.
     * @param target what executes the command afterwards (the SMMU's caches).
     * @return the execution to hand the gate: counts each command, then runs {@code target}.
     * @throws IndexOutOfBoundsException naming {@code smmu} when outside the ledger.
     */
    CommandExecution tap(final int smmu, final CommandExecution target)
    {
        checkSmmu(smmu);
        final AtomicLongArray byVmid = vmid[smmu];
        final AtomicLongArray byHostVmall = hostVmall[smmu];
        final AtomicLongArray byPsid = psid[smmu];
        return (dword0, dword1) ->
        {
            switch (KIND[(int)(dword0 & CommandLayout.OPCODE_MASK)])
            {
                case BY_VMID -> byVmid.incrementAndGet((int)TlbiLayout.VMID.get(dword0, dword1));
                case HOST_VMALL -> byHostVmall.incrementAndGet((int)TlbiLayout.VMID.get(dword0, dword1));
                case BY_PSID ->
                {
                    final long sid = CommandLayout.SID.get(dword0, dword1);
                    if (sid < PSID_SPACE)
                    {
                        byPsid.incrementAndGet((int)sid);
                    }
                    else
                    {
                        countUnowned(smmu, dword0);
                    }
                }
                case UNOWNED -> countUnowned(smmu, dword0);
                default ->
                {
                    // CMD_SYNC: the gate counts it
                }
            }
            return target.execute(dword0, dword1);
        };
    }

    private void countUnowned(final int smmu, final long dword0)
    {
        lastUnowned.set(smmu, dword0);
        unowned.incrementAndGet(smmu);
    }

    /**
     * Takes and zeroes the guest-kind VMID commands (TLBI_NH_*, TLBI_S2_IPA) executed for {@code vmid}.
     *
     * @param smmu the physical SMMU.
     * @param vmid the VMID just released.
     * @return how many executed since the last settlement of it.
     */
    long settleVmid(final int smmu, final int vmid)
    {
        checkSmmu(smmu);
        return this.vmid[smmu].getAndSet(checkVmid(vmid), 0);
    }

    /**
     * Takes and zeroes the host's TLBI_S12_VMALLs executed for {@code vmid}.
     *
     * @param smmu the physical SMMU.
     * @param vmid the VMID just released.
     * @return how many executed since the last settlement of it.
     */
    long settleHostVmall(final int smmu, final int vmid)
    {
        checkSmmu(smmu);
        return hostVmall[smmu].getAndSet(checkVmid(vmid), 0);
    }

    /**
     * Takes and zeroes the pSID-named commands (CFGI_*, ATC_INV, PREFETCH_*) executed for {@code psid}.
     *
     * @param smmu the physical SMMU.
     * @param psid the physical StreamID just released.
     * @return how many executed since the last settlement of it.
     * @throws IndexOutOfBoundsException naming {@code psid} when outside the books.
     */
    long settlePsid(final int smmu, final long psid)
    {
        checkSmmu(smmu);
        if (psid < 0 || psid >= PSID_SPACE)
        {
            throw new IndexOutOfBoundsException("psid=0x" + Long.toHexString(psid) + " is outside 0..0x" +
                Long.toHexString(PSID_SPACE - 1));
        }
        return this.psid[smmu].getAndSet((int)psid, 0);
    }

    /**
     * Sums everything not settled. Call once no VM is left (end of run): then every count should be 0.
     *
     * @return unsettled commands of every kind on every SMMU, unowned ones included.
     */
    long leftover()
    {
        long sum = 0;
        for (int s = 0; s < psid.length; s++)
        {
            sum += unowned.get(s) + sum(vmid[s]) + sum(hostVmall[s]) + sum(psid[s]);
        }
        return sum;
    }

    /**
     * @return the first few unsettled books in words (empty when {@link #leftover()} is 0), for the violation.
     */
    String describeLeftover()
    {
        final StringBuilder b = new StringBuilder();
        for (int s = 0; s < psid.length; s++)
        {
            if (unowned.get(s) != 0)
            {
                b.append(" smmu ").append(s).append(": ").append(unowned.get(s)).append(" unowned, last dword0=0x")
                    .append(Long.toHexString(lastUnowned.get(s))).append(';');
            }
            describe(b, s, "vmid ", vmid[s], 10);
            describe(b, s, "host TLBI_S12_VMALL of vmid ", hostVmall[s], 10);
            describe(b, s, "psid 0x", psid[s], 16);
        }
        return b.toString().trim();
    }

    private static void describe(final StringBuilder b, final int smmu, final String what, final AtomicLongArray counts,
        final int radix)
    {
        int shown = 0;
        for (int i = 0; i < counts.length() && shown < 4; i++)
        {
            final long n = counts.get(i);
            if (n != 0)
            {
                b.append(" smmu ").append(smmu).append(' ').append(what)
                    .append(Integer.toString(i, radix)).append(": ").append(n).append(';');
                shown++;
            }
        }
    }

    private static long sum(final AtomicLongArray counts)
    {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++)
        {
            sum += counts.get(i);
        }
        return sum;
    }

    private void checkSmmu(final int smmu)
    {
        if (smmu < 0 || smmu >= psid.length)
        {
            throw new IndexOutOfBoundsException("smmu=" + smmu + " is outside 0.." + (psid.length - 1));
        }
    }

    private static int checkVmid(final int vmid)
    {
        if (vmid < 0 || vmid >= VMID_SPACE)
        {
            throw new IndexOutOfBoundsException("vmid=" + vmid + " is outside 0.." + (VMID_SPACE - 1));
        }
        return vmid;
    }
}
