package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;

import java.util.Objects;

/**
 * The guest's SMMUv3 driver instance: the command queues it owns and its vCPUs, each bound to the queue
 * Linux would pick for it (smmuv3-cmdq.md §3, §4.5; vcmdq-viommu.md).
 *
 * <pre>
 *  emulatedCmdq:  one vSMMU CMDQ, ring in guest memory          vCPU 0 ─┐
 *                 registers handed in (trapping on the            vCPU 1 ─┼─▶ LinuxCmdqIssuer ─▶ CMDQ
 *                 trapped path), CS=SEV syncs                     vCPU n ─┘     (lock-free, shared)
 *
 *  vcmdqs:        N logical VCMDQs mapped into the guest          vCPU c ───▶ LinuxCmdqIssuer[c % N] ─▶ VCMDQ c % N
 *                 (QEMU exposes 2), CS=NONE syncs
 *
 *  every sync: wait by polling CONS with Linux's policy (a few spins, then back-off, bounded)
 * </pre>
 *
 * <p>The driver writes commands through queue-core's insertion into rings in {@link GuestMemory} and
 * reaches PROD and CONS only through the {@link QueueRegisters} it is given, so it cannot tell a
 * trapped queue (each CONS poll an exit) from a directly mapped one. With VCMDQs every command of the
 * modelled operations goes to the vCPU's VCMDQ, since a guest VCMDQ accepts all of them
 * (TLBI_NH_ASID, TLBI_NH_VA, ATC_INV, CMD_SYNC); the vSMMU's own CMDQ, which Linux uses for the other
 * opcodes, is not modelled here.
 *
 * <p>{@link #unmap} may be called concurrently for different vCPUs; one vCPU is run by one thread at a
 * time. Nothing allocates after construction, except each thread's first wait (its idle strategy).
 */
public final class GuestSmmu implements AutoCloseable
{
    private final LinuxCmdqIssuer[] queues;
    private final GuestVcpu[] vcpus;
    private final boolean vcmdq;

    private GuestSmmu(final LinuxCmdqIssuer[] queues, final int vcpuCount, final boolean forceSync, final boolean vcmdq)
    {
        this.queues = queues;
        this.vcmdq = vcmdq;
        this.vcpus = new GuestVcpu[vcpuCount];
        for (int c = 0; c < vcpuCount; c++)
        {
            // Linux: smp_processor_id() % num_lvcmdqs_per_vintf; with one queue every CPU shares it.
            final int queue = c % queues.length;
            vcpus[c] = new GuestVcpu(c, queue, queues[queue], forceSync);
        }
    }

    /**
     * A guest on an emulated vSMMU: one CMDQ shared by every vCPU, CS=SEV syncs waited for by CONS polls.
     *
     * @param memory    the guest's RAM.
     * @param ringGpa   guest-physical address of the CMDQ ring (CMDQ_BASE).
     * @param log2Size  log2 of the ring's entries, at least {@value LinuxCmdqIssuer#MIN_LOG2_SIZE}.
     * @param registers the CMDQ's PROD/CONS/GERROR registers (the VMM's trapping ones on the trapped path).
     * @param vcpuCount number of vCPUs, {@code >= 1}.
     * @param forceSync the SMMU's FORCE_SYNC option.
     * @param wait      back-off and bound of every wait.
     * @return the driver.
     * @throws IllegalArgumentException naming the parameter that is out of range.
     */
    public static GuestSmmu emulatedCmdq(
        final GuestMemory memory,
        final long ringGpa,
        final int log2Size,
        final QueueRegisters registers,
        final int vcpuCount,
        final boolean forceSync,
        final WaitPolicy wait)
    {
        checkVcpus(vcpuCount);
        final LinuxCmdqIssuer[] queues = {queue(memory, ringGpa, log2Size, registers, CmdSyncCompletion.LINUX, wait)};
        return new GuestSmmu(queues, vcpuCount, forceSync, false);
    }

    /**
     * A guest with Tegra241 VCMDQs mapped into it: vCPU {@code c} uses queue {@code c % N}, CS=NONE syncs
     * waited for by CONS polls.
     *
     * @param memory    the guest's RAM.
     * @param ringGpas  guest-physical address of each VCMDQ's ring (N = its length, {@code >= 1}).
     * @param log2Size  log2 of every ring's entries, at least {@value LinuxCmdqIssuer#MIN_LOG2_SIZE}.
     * @param registers each VCMDQ's registers, in the same order.
     * @param vcpuCount number of vCPUs, {@code >= 1}.
     * @param forceSync the SMMU's FORCE_SYNC option.
     * @param wait      back-off and bound of every wait.
     * @return the driver.
     * @throws IllegalArgumentException naming the parameter that is out of range or of the wrong length.
     */
    public static GuestSmmu vcmdqs(
        final GuestMemory memory,
        final long[] ringGpas,
        final int log2Size,
        final QueueRegisters[] registers,
        final int vcpuCount,
        final boolean forceSync,
        final WaitPolicy wait)
    {
        checkVcpus(vcpuCount);
        if (ringGpas.length == 0 || ringGpas.length != registers.length)
        {
            throw new IllegalArgumentException("ringGpas.length=" + ringGpas.length + " and registers.length=" +
                registers.length + " must be equal and at least 1");
        }
        final LinuxCmdqIssuer[] queues = new LinuxCmdqIssuer[ringGpas.length];
        for (int q = 0; q < queues.length; q++)
        {
            queues[q] = queue(memory, ringGpas[q], log2Size, registers[q], CmdSyncCompletion.BUSY_POLL, wait);
        }
        return new GuestSmmu(queues, vcpuCount, forceSync, true);
    }

    /**
     * Runs one invalidation request on vCPU {@code vcpu}'s queue and waits for its syncs. Concurrent
     * calls must name different vCPUs.
     *
     * @param vcpu    the CPU number.
     * @param request what to invalidate.
     * @return {@link IssueStatus#OK} or the first failing insertion's status; the vCPU's counters say
     *         how many commands, syncs and insertions it took.
     * @throws IndexOutOfBoundsException naming {@code vcpu} when it is no vCPU of this guest.
     * @throws IllegalArgumentException  naming the offending field when the request is inconsistent.
     */
    public int unmap(final int vcpu, final UnmapRequest request)
    {
        return vcpu(vcpu).unmap(request);
    }

    /**
     * @param vcpu the CPU number.
     * @return its driver state and counters.
     * @throws IndexOutOfBoundsException naming {@code vcpu} when it is no vCPU of this guest.
     */
    public GuestVcpu vcpu(final int vcpu)
    {
        if (vcpu < 0 || vcpu >= vcpus.length)
        {
            throw new IndexOutOfBoundsException("vcpu=" + vcpu + " is outside 0.." + (vcpus.length - 1));
        }
        return vcpus[vcpu];
    }

    /**
     * @return number of vCPUs.
     */
    public int vcpuCount()
    {
        return vcpus.length;
    }

    /**
     * @return number of queues: 1 for the emulated CMDQ, N for VCMDQs.
     */
    public int queueCount()
    {
        return queues.length;
    }

    /**
     * @param queue a queue index.
     * @return its issuer (for inspection; its insertions bypass the vCPU counters).
     * @throws IndexOutOfBoundsException naming {@code queue} when out of range.
     */
    public CommandIssuer queue(final int queue)
    {
        if (queue < 0 || queue >= queues.length)
        {
            throw new IndexOutOfBoundsException("queue=" + queue + " is outside 0.." + (queues.length - 1));
        }
        return queues[queue];
    }

    /**
     * @return true when the queues are VCMDQs, false for the emulated CMDQ.
     */
    public boolean usesVcmdqs()
    {
        return vcmdq;
    }

    /**
     * Closes every queue's issuer; vCPUs still waiting get {@link IssueStatus#CLOSED}.
     */
    @Override
    public void close()
    {
        for (final LinuxCmdqIssuer queue : queues)
        {
            queue.close();
        }
    }

    private static LinuxCmdqIssuer queue(
        final GuestMemory memory,
        final long ringGpa,
        final int log2Size,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final WaitPolicy wait)
    {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(wait, "wait");
        final ExternalRingMemory ring = memory.ring(ringGpa, log2Size);
        return new LinuxCmdqIssuer(ring, registers, completion, CompletionWait.CONS_POLL, wait);
    }

    private static void checkVcpus(final int vcpuCount)
    {
        if (vcpuCount < 1)
        {
            throw new IllegalArgumentException("vcpuCount=" + vcpuCount + " is below 1");
        }
    }
}
