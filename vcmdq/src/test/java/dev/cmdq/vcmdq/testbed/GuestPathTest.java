package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.vmm.ForwardingPolicy;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GuestPath}: the table of its class doc (architecture.md's two paths and vcmdq-viommu.md §4's
 * topologies).
 */
class GuestPathTest
{
    @Test
    void eachPathHasTheTopologyAndForwardingOfItsTable()
    {
        assertEquals(TopologyKind.FANNED_OUT, GuestPath.TRAPPED_PER_COMMAND.topology());
        assertEquals(ForwardingPolicy.PER_COMMAND, GuestPath.TRAPPED_PER_COMMAND.forwarding());
        assertEquals(TopologyKind.FANNED_OUT, GuestPath.TRAPPED_BATCHED.topology());
        assertEquals(ForwardingPolicy.BATCHED, GuestPath.TRAPPED_BATCHED.forwarding());
        assertEquals(TopologyKind.PER_PHYSICAL_SMMU, GuestPath.VCMDQ.topology(), "a guest VCMDQ feeds one physical SMMU");
        assertTrue(GuestPath.VCMDQ.usesVcmdqs());
        assertFalse(GuestPath.TRAPPED_BATCHED.usesVcmdqs());
        assertFalse(GuestPath.TRAPPED_PER_COMMAND.usesVcmdqs());
    }
}
