package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reservations against hand-drawn interval pictures.
 */
class EngineScheduleTest
{
    @Test
    void aRequestTakesTheFirstGapThatHoldsAllOfIt()
    {
        final EngineSchedule e = new EngineSchedule();
        assertEquals(200.0, e.reserve(100, 100));   // [100,200)
        assertEquals(500.0, e.reserve(400, 100));   // [100,200) [400,500)
        assertEquals(350.0, e.reserve(0, 150), "the gap 0..100 is too small: 200..350, before 400");
    }

    @Test
    void gapsAndQueueing()
    {
        final EngineSchedule e = new EngineSchedule();
        e.reserve(100, 100);                         // [100,200)
        e.reserve(400, 100);                         // [400,500)
        assertEquals(100.0, e.reserve(0, 100), "fits exactly before 100");
        assertEquals(350.0, e.reserve(150, 150), "waits for 200, fits before 400");
        assertEquals(650.0, e.reserve(350, 150), "gap 350..400 too small: after 500");
        assertEquals(5, e.size());
        assertEquals(650.0, e.lastEnd());
    }

    @Test
    void forgettingDropsOnlyFinishedIntervals()
    {
        final EngineSchedule e = new EngineSchedule();
        e.reserve(0, 10);
        e.reserve(20, 10);
        e.reserve(40, 10);
        e.forget(30);
        assertEquals(1, e.size());
        assertEquals(60.0, e.reserve(40, 10), "the kept interval [40,50) is still in the way");
    }

    @Test
    void aFullTableDropsItsOldestInterval()
    {
        final EngineSchedule e = new EngineSchedule();
        for (int i = 0; i < EngineSchedule.CAPACITY + 10; i++)
        {
            e.reserve(i * 10, 5);
        }
        assertEquals(EngineSchedule.CAPACITY, e.size());
        assertEquals((EngineSchedule.CAPACITY + 9) * 10 + 5.0, e.lastEnd());
    }
}
