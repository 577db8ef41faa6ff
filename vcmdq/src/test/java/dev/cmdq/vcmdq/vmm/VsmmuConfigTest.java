package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Config defaults and validation.
 */
class VsmmuConfigTest
{
    @Test
    void ofUsesQemusIdentityAndTheDefaultBatch()
    {
        final VsmmuConfig config = VsmmuConfig.of("v", TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND);
        assertEquals(new VsmmuIdentity(19, true, true, 16), config.identity());
        assertEquals(1024, config.batchEntries());
    }

    @Test
    void aBatchBelowOneIsRefusedByName()
    {
        assertEquals("batchEntries=0 is below 1", assertThrows(IllegalArgumentException.class, () ->
            new VsmmuConfig("v", TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED, VsmmuIdentity.qemuDefault(), 0)).getMessage());
    }
}
