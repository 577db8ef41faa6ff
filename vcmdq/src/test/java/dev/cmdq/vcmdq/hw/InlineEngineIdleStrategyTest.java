package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Each idle runs one duty cycle of every SMMU it drives; an idle after work does nothing.
 */
class InlineEngineIdleStrategyTest
{
    @Test
    void eachIdleRunsOneDutyCycleOfEverySmmu()
    {
        try (PhysicalSmmu a = PhysicalSmmu.builder((d0, d1) -> 0).build().startInline();
            PhysicalSmmu b = PhysicalSmmu.builder((d0, d1) -> 0).smmuId(1).build().startInline())
        {
            final InlineEngineIdleStrategy idle = new InlineEngineIdleStrategy(a, b);
            idle.idle();
            idle.idle(0);
            idle.idle(5);
            assertEquals(2, idle.idles());
            assertEquals(2, a.engine().dutyCycles());
            assertEquals(2, b.engine().dutyCycles());
        }
        assertThrows(NullPointerException.class, () -> new InlineEngineIdleStrategy((PhysicalSmmu)null));
    }
}
