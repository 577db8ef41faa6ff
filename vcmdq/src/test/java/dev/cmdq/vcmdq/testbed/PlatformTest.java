package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.host.Errno;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Platform}: its defaults, its refusals, the caches behind each SMMU's gate, teardown order and
 * idempotence, and VM churn — VMs created, attached, used and closed while another VM carries traffic
 * (what the stress harness does). Churn size: {@code cmdq.stress.ops} / 20,000 VM lifetimes (CI size 50).
 */
class PlatformTest
{
    private static final int LIFETIMES = (int)Math.max(20, Long.getLong("cmdq.stress.ops", 1_000_000) / 20_000);

    @Test
    void defaultsAreTwoInlineSmmusWithCaches()
    {
        try (Platform platform = Platform.builder().build())
        {
            assertEquals(2, platform.smmuCount());
            assertEquals(EngineMode.INLINE, platform.engineMode());
            platform.withCaches(1, caches -> caches.tlb().insert(TlbEntryKind.STAGE1, 1, 2, 0x1000, 12, true));
            assertEquals(1, (int)platform.queryCaches(1, caches -> caches.tlb().size()));
            assertEquals(0, (int)platform.queryCaches(0, caches -> caches.tlb().size()), "each SMMU has its own caches");
            final HostDevice device = platform.bindDevice(1, 0x42);
            assertEquals(1, device.smmuId());
            assertEquals(0x42, device.streamId());
            assertEquals(1, platform.devices().size());
            final java.util.List<String> described = platform.describe();
            assertTrue(described.get(0).contains("2 SMMUs") && described.get(0).contains("INLINE"), described.get(0));
            assertTrue(described.containsAll(platform.smmu(0).describe()), "the hardware policy is reported");
            assertTrue(described.containsAll(dev.cmdq.vcmdq.hw.cache.CacheAssumptions.all()), "the cache model's choices are reported");
        }
    }

    @Test
    void misuseIsRefusedByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Platform.builder().smmus(0))
            .getMessage().contains("smmuCount=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Platform.builder().waitTimeoutNs(-1))
            .getMessage().contains("waitTimeoutNs=-1"));
        // Refused while building: what was already made (a threaded engine of SMMU 0) is stopped again.
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> Platform.builder().engineMode(EngineMode.THREADED).caches(0, 1, 1).build()).getMessage().contains("tlbCapacity=0"));
        final long engineThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("smmu-engine")).count();
        final IllegalArgumentException late = assertThrows(IllegalArgumentException.class, () -> Platform.builder()
            .engineMode(EngineMode.THREADED).execution(i ->
            {
                if (i == 1)
                {
                    throw new IllegalArgumentException("no execution for smmu 1");
                }
                return new CommandLog();
            }).build());
        assertTrue(late.getMessage().contains("smmu 1"), late.getMessage());
        assertEquals(engineThreads, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("smmu-engine")).count(),
            "no engine thread left behind");
        try (Platform platform = Platform.builder().smmus(1).execution(i -> new CommandLog()).build())
        {
            assertTrue(assertThrows(IllegalStateException.class, () -> platform.caches(0)).getMessage().contains("not SmmuCaches"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> platform.smmu(1)).getMessage().contains("smmuId=1"));
            assertEquals(Errno.EINVAL, assertThrows(IommufdException.class, () -> platform.bindDevice(3, 1)).errno());
        }
        try (Platform impatient = Platform.builder().smmus(1).waitTimeoutNs(0).build())
        {
            final IllegalStateException timeout = assertThrows(IllegalStateException.class, () -> impatient.await(() -> false, "never"));
            assertTrue(timeout.getMessage().contains("never"), timeout.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void closeTearsDownVmsThenHostThenHardwareAndIsIdempotent(final EngineMode mode)
    {
        final Platform platform = Platform.builder().engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build();
        final Vm trapped = platform.createVm(VmConfig.of("t", GuestPath.TRAPPED_PER_COMMAND, 1));
        final Vm direct = platform.createVm(VmConfig.of("d", GuestPath.VCMDQ, 1));
        trapped.attach(0x8, platform.bindDevice(0, 0x100));
        direct.attach(0x8, platform.bindDevice(1, 0x200));
        platform.close();
        assertTrue(trapped.isClosed() && direct.isClosed(), "VMs closed first");
        assertEquals(0, platform.vms().size());
        assertThrows(IllegalStateException.class, () -> platform.createVm(VmConfig.of("late", GuestPath.VCMDQ, 1)));
        platform.close();
        // The guest drivers were closed: a late request gets CLOSED, not a hang or a crash.
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(1);
        assertEquals(IssueStatus.CLOSED, trapped.unmap(0, request));
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    @Tag("stress")
    void vmsComeAndGoWhileAnotherCarriesTraffic(final EngineMode mode) throws InterruptedException
    {
        try (Platform platform = Platform.builder().smmus(1).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build())
        {
            final Vm steady = platform.createVm(VmConfig.of("steady", GuestPath.VCMDQ, 1));
            steady.attach(0x8, platform.bindDevice(0, 0x100));
            final HostDevice churnDevice = platform.bindDevice(0, 0x101);
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicInteger failures = new AtomicInteger();
            final AtomicInteger unmaps = new AtomicInteger();
            final Thread vcpu = new Thread(() ->
            {
                final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(3).ats(true).sid(0x8);
                while (running.get())
                {
                    if (steady.unmap(0, request) != IssueStatus.OK)
                    {
                        failures.incrementAndGet();
                    }
                    unmaps.incrementAndGet();
                }
            }, "steady-vcpu0");
            vcpu.start();
            final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(4).ats(true).sid(0x9);
            for (int i = 0; i < LIFETIMES; i++)
            {
                final GuestPath path = GuestPath.values()[i % GuestPath.values().length];
                try (Vm vm = platform.createVm(VmConfig.of("churn" + i, path, 1)))
                {
                    vm.attach(0x9, churnDevice);
                    assertEquals(IssueStatus.OK, vm.unmap(0, request), vm + " works");
                    if (i % 2 == 0)
                    {
                        vm.detach(0x9);
                    }
                }
            }
            running.set(false);
            vcpu.join(30_000);
            assertFalse(vcpu.isAlive());
            assertEquals(0, failures.get(), "the steady VM's unmaps failed");
            assertTrue(unmaps.get() > 0);
            assertEquals(1, platform.vms().size(), "only the steady VM is left");
            assertEquals(1, steady.vmidOn(0), "the steady VM kept its VMID (lowest free from 1)");
        }
    }
}
