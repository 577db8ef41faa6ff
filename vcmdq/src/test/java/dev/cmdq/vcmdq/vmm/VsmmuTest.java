package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front-end's dispatch by MMIO region — where a CMDQV page handler plugs in — its exit accounting,
 * its report line, and hot-unplug under the trap lock while another device's traffic flows.
 */
class VsmmuTest
{
    private static final long SYNC = 0x46 | (2L << 12);

    private final VmmRig rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);

    /** Records accesses; reads return offset + width. */
    private static final class RecordingRegion implements MmioRegion
    {
        final List<String> accesses = new ArrayList<>();

        @Override
        public long read(final int offset, final int width)
        {
            accesses.add("r" + Integer.toHexString(offset) + "/" + width);
            return offset + width;
        }

        @Override
        public void write(final int offset, final long value, final int width)
        {
            accesses.add("w" + Integer.toHexString(offset) + "=" + Long.toHexString(value) + "/" + width);
        }
    }

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void aMappedRegionGetsItsAccessesWithRegionOffsetsAndEachIsAnExit()
    {
        final RecordingRegion cmdqv = new RecordingRegion();
        rig.vsmmu.mapRegion(0x30000, 0x30000, cmdqv);
        assertEquals(0x10 + 4, rig.vsmmu.mmioRead(0x30010, 4));
        rig.vsmmu.mmioWrite(0x5FFF8, 0xAB, 8);
        assertEquals(0, rig.vsmmu.mmioRead(0x60000, 4), "just past the region");
        assertEquals(List.of("r10/4", "w2fff8=ab/8"), cmdqv.accesses);
        assertEquals(3, rig.vsmmu.counters().totals().traps().get());
        assertEquals(0, rig.vsmmu.cmdqCounters().traps().get(), "not the CMDQ's registers");
        assertEquals(3, rig.meter.count(CostKind.VM_EXIT));
        assertEquals(1, rig.vsmmu.counters().ignoredAccesses().get());
    }

    @Test
    void overlappingRegionsAreRefusedByAddress()
    {
        rig.vsmmu.mapRegion(0x30000, 0x10000, new RecordingRegion());
        assertEquals("base=0x38000 length=0x10000 overlaps the region at 0x30000",
            assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.mapRegion(0x38000, 0x10000, new RecordingRegion()))
                .getMessage());
        assertEquals("base=0x10000 overlaps the SMMU pages or wraps",
            assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.mapRegion(0x10000, 0x100, new RecordingRegion()))
                .getMessage());
        assertEquals("length=0 is not in 1..2^31-1",
            assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.mapRegion(0x90000, 0, new RecordingRegion()))
                .getMessage());
        rig.vsmmu.mapRegion(0x40000, 0x10000, new RecordingRegion());
    }

    @Test
    void exitCostsAreChargedPerAccessAndSyscallCostsPerHostCall()
    {
        final VirtualClockCostMeter clock = new VirtualClockCostMeter(new ModelledCosts(1000, 250));
        try (VmmRig timed = new VmmRig(VsmmuConfig.of("vsmmu0", TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND), clock))
        {
            timed.attach(0, 0x100, 0x8);
            timed.attach(1, 0x200, 0x9);
            timed.enable();                                                   // 4 exits
            timed.put(0, 0x11 | (0x3L << 48), 0);                             // broadcast: 2 calls
            timed.put(1, 0x40 | (0x9L << 32), 0);                             // 1 call
            timed.put(2, 0x03 | (0x8L << 32), 1);                             // STE re-install: 1 ioctl
            timed.put(3, 0x46 | (2L << 12), 0);
            timed.prod(4);                                                    // 1 exit
            assertEquals(4, timed.cons());                                    // 1 exit
            assertEquals(6, clock.count(CostKind.VM_EXIT));
            assertEquals(4, clock.count(CostKind.SYSCALL));
            assertEquals(6 * 1000 + 4 * 250, clock.virtualNanos(), "all charged on the trapping thread");
            assertTrue(timed.vsmmu.toString().contains("modelled costs: vmExit=1000ns syscall=250ns"));
        }
    }

    @Test
    void theReportLineCarriesTheModelledCosts()
    {
        final String line = rig.vsmmu.toString();
        assertTrue(line.contains("vsmmu0") && line.contains("PER_PHYSICAL_SMMU") && line.contains("BATCHED") &&
            line.contains("modelled costs: vmExit=0ns syscall=0ns"), line);
    }

    @Test
    void detachAndReattachUnderTheTrapLockNeverDisturbAnotherDevicesTraffic() throws InterruptedException
    {
        final int rounds = Integer.getInteger("cmdq.stress.ops", 2_000);
        final long[] sequences = new long[rounds];
        final int[] seen = new int[1];
        rig.smmu0.record = false;
        // Runs on whichever thread drives the host queue: the vCPU's, under the vSMMU's lock.
        rig.smmu0.dw1Observer = dw1 -> sequences[seen[0]++ % rounds] = dw1;
        final int churned = rig.iommufd.bindDevice(0, 0x100);
        rig.vsmmu.attach(churned, 0x8);
        rig.attach(0, 0x101, 0x9);
        rig.enable();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread vcpu = new Thread(() ->
        {
            // One ATC_INV for vSID 0x9 carrying its round as the address, then a CMD_SYNC, per round.
            for (int round = 0; round < rounds && failure.get() == null; round++)
            {
                final int slot = (round * 2) % (1 << VmmRig.LOG2);
                rig.put(slot, 0x40 | (0x9L << 32), (long)round << 12);
                rig.put(slot + 1, SYNC, 0);
                final int prod = (round * 2 + 2) & ((2 << VmmRig.LOG2) - 1);
                rig.prod(prod);
                final int cons = rig.cons();
                if (cons != prod)
                {
                    failure.set("round " + round + ": CONS=0x" + Integer.toHexString(cons) + ", PROD=0x" + Integer.toHexString(prod));
                }
            }
        }, "vcpu0");
        vcpu.start();
        int replugs = 0;
        while (vcpu.isAlive())
        {
            rig.vsmmu.detach(0x8);
            rig.vsmmu.attach(churned, 0x8);
            replugs++;
            // Back off: on two oversubscribed cores a spinning re-plugger would starve the vCPU of the lock.
            LockSupport.parkNanos(20_000);
        }
        vcpu.join();
        assertNull(failure.get());
        assertEquals(rounds, seen[0], "every ATC_INV reached the host once");
        for (int round = 0; round < rounds; round++)
        {
            assertEquals((long)round << 12, sequences[round], "host command " + round + " in guest order");
        }
        assertTrue(replugs > 0);
        assertEquals(2, rig.vsmmu.topology().deviceCount());
        assertEquals(0, rig.vsmmu.cmdqCounters().errors().get());
    }
}
