package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link EngineDrivingIdleStrategy}: every idle runs exactly one duty cycle of every SMMU on the calling
 * thread (the determinism of inline mode), and idling allocates nothing.
 */
class EngineDrivingIdleStrategyTest
{
    @Test
    void eachIdleRunsOneDutyCycleOfEverySmmu()
    {
        final PhysicalSmmu a = PhysicalSmmu.builder((d0, d1) -> CommandError.NONE).smmuId(0).build().startInline();
        final PhysicalSmmu b = PhysicalSmmu.builder((d0, d1) -> CommandError.NONE).smmuId(1).build().startInline();
        try (a; b)
        {
            final EngineDrivingIdleStrategy idle = new EngineDrivingIdleStrategy(new PhysicalSmmu[] {a, b});
            final long a0 = a.engine().dutyCycles();
            final long b0 = b.engine().dutyCycles();
            for (int i = 0; i < 5; i++)
            {
                idle.idle();
            }
            idle.idle(0);
            idle.idle(3);  // work was done by the caller: no duty cycle, only a reset of the back-off
            assertEquals(a0 + 6, a.engine().dutyCycles());
            assertEquals(b0 + 6, b.engine().dutyCycles());
            assertEquals(0, AllocationProbe.bytesOnceWarm(() ->
            {
                for (int i = 0; i < 100; i++)
                {
                    idle.idle();
                }
            }, 100, 3));
        }
    }
}
