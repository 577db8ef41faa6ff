package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two vCPU threads unmap concurrently through the one emulated CMDQ (Linux's lock-free insertion) while
 * a device thread consumes it. Every TLBI carries its vCPU (ASID = vCPU + 1) and a sequence number (its
 * address), so the consumed stream proves that each vCPU's requests arrive whole and in order, and that
 * every insertion Linux's batch makes (64 without a sync, then the rest plus its sync) is contiguous:
 * the other vCPU's commands land only between insertions, never inside one.
 *
 * <p>Size: about {@code cmdq.stress.ops / 8} TLBIs in the run (CI: 125,000), request sizes 1..200 pages
 * from the fixed seed {@code cmdq.stress.seed}.
 */
@Tag("stress")
class GuestSmmuStressTest
{
    private static final long OPS = Long.getLong("cmdq.stress.ops", 1_000_000);
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123);
    private static final int VCPUS = 2;
    private static final int MAX_PAGES = 200;
    private static final long SYNC_SEV = 0x000000000fc02046L;

    private long[] words;
    private int entries;

    @Test
    void concurrentVcpusInsertWholeBatchesInOrder() throws InterruptedException
    {
        final int requestsPerVcpu = (int)Math.max(1, OPS / 8 / VCPUS / (MAX_PAGES / 2));
        final int[][] pages = new int[VCPUS][requestsPerVcpu];
        long total = 0;
        for (int v = 0; v < VCPUS; v++)
        {
            final SplittableRandom random = new SplittableRandom(SEED + v);
            for (int k = 0; k < requestsPerVcpu; k++)
            {
                pages[v][k] = 1 + random.nextInt(MAX_PAGES);
                total += pages[v][k] + 1;
            }
        }
        words = new long[(int)(2 * total)];

        final long base = 0x2_0000_0000L;
        final int log2Size = 10;
        final GuestMemory memory = GuestMemory.allocate(base, 16 << log2Size);
        try (MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final QueueConsumer device =
                new QueueConsumer(memory.ring(base, log2Size), registers, this::onEntry, CmdSyncCompletion.LINUX);
            final WaitPolicy wait = WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(30));
            final AtomicReference<String> failure = new AtomicReference<>();
            final AgentRunner deviceRunner = new AgentRunner(
                new BackoffIdleStrategy(16, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)),
                ex -> failure.compareAndSet(null, "device: " + ex), null, device);
            try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, base, log2Size, registers, VCPUS, false, wait))
            {
                AgentRunner.startOnThread(deviceRunner);
                final Thread[] vcpus = new Thread[VCPUS];
                for (int v = 0; v < VCPUS; v++)
                {
                    final int vcpu = v;
                    vcpus[v] = new Thread(() ->
                    {
                        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).granule(0x1000)
                            .pageSize(0x1000).leaf(true).asid(vcpu + 1);
                        for (int k = 0; k < requestsPerVcpu; k++)
                        {
                            request.iova(address(vcpu, k, 0)).size(pages[vcpu][k] * 0x1000L);
                            final int status = smmu.unmap(vcpu, request);
                            if (status != IssueStatus.OK)
                            {
                                failure.compareAndSet(null, "vcpu " + vcpu + " request " + k + ": " + IssueStatus.name(status));
                                return;
                            }
                        }
                    }, "vcpu-" + v);
                    vcpus[v].start();
                }
                for (final Thread vcpu : vcpus)
                {
                    vcpu.join(TimeUnit.SECONDS.toMillis(120));
                }
            }
            finally
            {
                // Closing the runner joins the device thread: its plain writes are visible afterwards.
                deviceRunner.close();
                device.close();
            }
            assertNull(failure.get());
            assertEquals(total, entries);
            assertNull(verify(pages, requestsPerVcpu));
            // Negative control: the same stream with its first two entries swapped must fail the walk.
            swap(0, 1);
            assertNotNull(verify(pages, requestsPerVcpu));
        }
    }

    private void swap(final int a, final int b)
    {
        for (int w = 0; w < 2; w++)
        {
            final long t = words[2 * a + w];
            words[2 * a + w] = words[2 * b + w];
            words[2 * b + w] = t;
        }
    }

    /** vCPU v's request k, page i: the sequence number, as an address. */
    private static long address(final int vcpu, final int request, final int page)
    {
        return ((long)vcpu << 40) | ((long)request << 20) | ((long)page << 12);
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (2 * entries + 1 < words.length)
        {
            words[2 * entries] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            words[2 * entries + 1] = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
        }
        entries++;
        return CommandError.NONE;
    }

    /**
     * Walks the stream insertion by insertion: each must be the next chunk of one vCPU's current request
     * (64 TLBIs, or the remaining at most 64 followed by the sync), with consecutive addresses.
     */
    private String verify(final int[][] pages, final int requestsPerVcpu)
    {
        final int[] request = new int[VCPUS];
        final int[] page = new int[VCPUS];
        int e = 0;
        while (e < entries)
        {
            final long dw0 = words[2 * e];
            final int vcpu = (int)(dw0 >>> 48) - 1;
            if ((dw0 & 0xFF) != 0x12 || vcpu < 0 || vcpu >= VCPUS || request[vcpu] >= requestsPerVcpu)
            {
                return "entry " + e + " starts no chunk of a pending request: 0x" + Long.toHexString(dw0);
            }
            final int k = request[vcpu];
            final int left = pages[vcpu][k] - page[vcpu];
            final int chunk = Math.min(left, 64);
            for (int i = 0; i < chunk; i++, e++)
            {
                final long expected = address(vcpu, k, page[vcpu] + i) | 1;
                if (e >= entries || words[2 * e] >>> 48 != vcpu + 1 || words[2 * e + 1] != expected)
                {
                    return "entry " + e + ": expected vcpu " + vcpu + " TLBI at 0x" + Long.toHexString(expected) +
                        " inside one insertion, got 0x" + Long.toHexString(words[2 * e]) + ":0x" + Long.toHexString(words[2 * e + 1]);
                }
            }
            page[vcpu] += chunk;
            if (page[vcpu] == pages[vcpu][k])
            {
                if (e >= entries || words[2 * e] != SYNC_SEV)
                {
                    return "entry " + e + ": expected vcpu " + vcpu + "'s sync closing request " + k;
                }
                e++;
                request[vcpu]++;
                page[vcpu] = 0;
            }
        }
        for (int v = 0; v < VCPUS; v++)
        {
            if (request[v] != requestsPerVcpu)
            {
                return "vcpu " + v + " completed " + request[v] + " of " + requestsPerVcpu + " requests";
            }
        }
        return null;
    }
}
