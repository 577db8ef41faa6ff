package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.testkit.JcstressReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Runs this package's jcstress tests (2 actors each) in a child JVM and reads the report
 * ({@link JcstressReport}), because jcstress never exits non-zero. Passes only if every planned result
 * passed, the two real tests ran — valid-bit publication ({@link ValidBitPublicationJcstress}) and the
 * OWNED hand-over ({@link OwnedHandoverJcstress}) — and both negative controls
 * ({@link ValidBitBeforeEntryRaceJcstress}, {@link OwnerProdBeforeProdRaceJcstress}) did observe their
 * races, proof the harness can see them on this machine.
 */
@Tag("stress")
class LockfreeJcstressRunTest
{
    private static final List<String> RACES = List.of(
        ValidBitBeforeEntryRaceJcstress.class.getName(), OwnerProdBeforeProdRaceJcstress.class.getName());
    private static final List<String> TESTS = List.of(
        ValidBitPublicationJcstress.class.getName(), OwnedHandoverJcstress.class.getName(),
        ValidBitBeforeEntryRaceJcstress.class.getName(), OwnerProdBeforeProdRaceJcstress.class.getName());
    private static final long RUN_LIMIT_S = 60;

    @Test
    void publicationAndHandoverHoldAndTheNegativeControlsRace() throws Exception
    {
        final JcstressReport report = JcstressReport.run("jcstress-lockfree", TESTS, RUN_LIMIT_S);
        report.assertAllPassed(TESTS);
        report.assertObserved(RACES, " never observed its race: the harness proves nothing");
    }
}
