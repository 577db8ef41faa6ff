package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Two VMs with two vCPU threads each, on every path, with threaded and inline engines: each vCPU, over
 * and over, caches a translation of its own (its VM's VMID, its own ASID, a VA carrying its thread and
 * sequence number), unmaps it, and checks — right after its sync — that exactly that entry is gone. Every
 * VM also holds sentinel entries no command of this test may reach (an ASID nobody invalidates). At the
 * end the sentinels are all there, every per-iteration entry was removed exactly once (the caches'
 * removal counts equal the inserts), and nothing else is cached. Size: {@code cmdq.stress.ops} / 2000
 * rounds per vCPU (CI size 500), seed {@code cmdq.stress.seed}.
 */
@Tag("stress")
class ConcurrentInvalidationStressTest
{
    private static final int ROUNDS = (int)Math.max(100, Long.getLong("cmdq.stress.ops", 1_000_000) / 2000);
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123L);
    private static final int SENTINEL_ASID = 99;

    static Stream<Arguments> pathsAndModes()
    {
        return Stream.of(GuestPath.values()).flatMap(p -> Stream.of(EngineMode.values()).map(m -> Arguments.of(p, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathsAndModes")
    void everyVcpuRemovesExactlyItsOwnEntriesWhileTheOthersRun(final GuestPath path, final EngineMode mode)
        throws InterruptedException
    {
        try (Platform platform = Platform.builder().smmus(2).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build())
        {
            final Vm[] vms = new Vm[2];
            for (int v = 0; v < 2; v++)
            {
                vms[v] = platform.createVm(VmConfig.of("vm" + v, path, 2));
                vms[v].attach(0x8, platform.bindDevice(0, 0x100 + v));
                vms[v].attach(0x9, platform.bindDevice(1, 0x200 + v));
            }
            final CacheBook sentinels = new CacheBook();
            for (int v = 0; v < 2; v++)
            {
                for (int smmu = 0; smmu < 2; smmu++)
                {
                    sentinels.tlb(smmu, TlbEntryKind.STAGE1, vms[v].vmidOn(smmu), SENTINEL_ASID, 0x1000, 12, true);
                }
            }
            sentinels.insertInto(platform);

            final AtomicInteger failures = new AtomicInteger();
            final AtomicInteger stale = new AtomicInteger();
            final Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++)
            {
                final Vm vm = vms[t >> 1];
                final int vcpu = t & 1;
                final int thread = t;
                threads[t] = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(SEED + thread);
                    final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).size(0x1000)
                        .granule(0x1000).pageSize(0x1000).leaf(true).asid(10 + vcpu);
                    final boolean[] present = new boolean[1];
                    for (int i = 0; i < ROUNDS; i++)
                    {
                        // The vSMMU (so the physical SMMU) this round's entry lives behind.
                        final int vsmmu = vm.smmuCount() == 1 ? 0 : random.nextInt(vm.smmuCount());
                        final int smmu = vm.smmuCount() == 1 ? random.nextInt(2) : vm.smmu(vsmmu).physicalSmmu();
                        final int vmid = vm.vmidOn(smmu);
                        final long va = ((long)thread << 36) | ((long)i << 12) | 0x1_0000_0000L;
                        platform.withCaches(smmu, c -> c.tlb().insert(TlbEntryKind.STAGE1, vmid, 10 + vcpu, va, 12, true));
                        if (vm.unmap(vsmmu, vcpu, request.iova(va)) != IssueStatus.OK)
                        {
                            failures.incrementAndGet();
                        }
                        platform.withCaches(smmu, c -> present[0] = c.tlb().contains(TlbEntryKind.STAGE1, vmid, 10 + vcpu, va, 12, true));
                        if (present[0])
                        {
                            stale.incrementAndGet();
                        }
                    }
                }, vm.config().name() + "-vcpu" + vcpu);
                threads[t].start();
            }
            for (final Thread thread : threads)
            {
                thread.join(120_000);
                assertFalse(thread.isAlive(), thread.getName() + " finished");
            }
            assertEquals(0, failures.get(), "failed unmaps");
            assertEquals(0, stale.get(), "entries still cached after their own sync");
            sentinels.assertExactly(platform, "after the run");
            final long removed = platform.queryCaches(0, c -> c.tlb().removed()) + platform.queryCaches(1, c -> c.tlb().removed());
            assertEquals(4L * ROUNDS, removed, "each per-round entry removed exactly once, no sentinel");
        }
    }
}
