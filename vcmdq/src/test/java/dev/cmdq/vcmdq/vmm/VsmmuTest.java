package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front-end's dispatch by MMIO region — where a CMDQV page handler plugs in — its exit accounting,
 * and its report line.
 */
class VsmmuTest
{
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
    void theReportLineCarriesTheModelledCosts()
    {
        final String line = rig.vsmmu.toString();
        assertTrue(line.contains("vsmmu0") && line.contains("PER_PHYSICAL_SMMU") && line.contains("BATCHED") &&
            line.contains("modelled costs: vmExit=0ns syscall=0ns"), line);
    }
}
