package dev.cmdq.vcmdq.hw.jcstress;

import dev.cmdq.queue.testkit.JcstressReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Runs the jcstress tests of this package in a child JVM and reads its report ({@link JcstressReport}),
 * because jcstress never exits non-zero. Passes only if every planned result passed with no failure or
 * error, every listed test ran, and the negative control ({@link SidRegisterPairRaceJcstress}) did
 * observe its torn pair: proof the harness can see that race here.
 */
@Tag("stress")
class JcstressRunTest
{
    private static final List<String> NEGATIVE_CONTROLS = List.of(SidRegisterPairRaceJcstress.class.getName());
    private static final List<String> TESTS = List.of(SidSlotLatchJcstress.class.getName(),
        SidRegisterPairRaceJcstress.class.getName());
    private static final long RUN_LIMIT_S = 150;

    @Test
    void sidLatchHoldsAndTheNegativeControlRaces() throws Exception
    {
        final JcstressReport report = JcstressReport.run("jcstress", TESTS, RUN_LIMIT_S);
        report.assertAllPassed(TESTS);
        report.assertObserved(NEGATIVE_CONTROLS, " never observed its race: the harness proves nothing");
    }
}
