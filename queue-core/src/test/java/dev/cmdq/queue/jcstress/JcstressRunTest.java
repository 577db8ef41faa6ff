package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.dispatch.OfferBeforeFillRaceJcstress;
import dev.cmdq.queue.testkit.JcstressReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Runs queue-core's jcstress tests (this package's, and the dispatch record's negative control, which
 * lives in {@code dev.cmdq.queue.dispatch} for the record's package-private protocol) in a child JVM and
 * reads its report ({@link JcstressReport}), because jcstress never exits non-zero. Passes only if every
 * planned result passed with no failure or error, every listed test ran, each negative control
 * ({@link ProdBeforeEntryRaceJcstress}, {@link OfferBeforeFillRaceJcstress}) did observe its race (proof
 * the harness can see one here), and {@link DispatchHandoffJcstress} and {@link DispatchSyncHandoffJcstress}
 * each saw one requester's drain serve the other's record (proof the hand-off between threads was
 * exercised, not just each thread serving itself).
 */
@Tag("stress")
class JcstressRunTest
{
    private static final List<String> NEGATIVE_CONTROLS = List.of(
        ProdBeforeEntryRaceJcstress.class.getName(), OfferBeforeFillRaceJcstress.class.getName());
    private static final List<String> HANDOFFS = List.of(
        DispatchHandoffJcstress.class.getName(), DispatchSyncHandoffJcstress.class.getName());
    private static final List<String> TESTS = List.of(
        PublishedEntryIsVisibleJcstress.class.getName(), WriteBackBeforeConsJcstress.class.getName(),
        DispatchHandoffJcstress.class.getName(), DispatchSyncHandoffJcstress.class.getName(),
        ProdBeforeEntryRaceJcstress.class.getName(), OfferBeforeFillRaceJcstress.class.getName());
    private static final long RUN_LIMIT_S = 150;

    @Test
    void orderingHoldsAndTheNegativeControlsRace() throws Exception
    {
        final JcstressReport report = JcstressReport.run("jcstress", TESTS, RUN_LIMIT_S);
        report.assertAllPassed(TESTS);
        report.assertObserved(NEGATIVE_CONTROLS, " never observed its race: the harness proves nothing");
        report.assertObserved(HANDOFFS, ": no drain served the other requester's record, the hand-off was never exercised");
    }
}
