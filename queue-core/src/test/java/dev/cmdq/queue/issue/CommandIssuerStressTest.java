package dev.cmdq.queue.issue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every strategy of {@link IssuerFactories#ALL} with 2, 4 and 8 producer threads on a 256-entry ring
 * (on this 2-core machine 4 and 8 oversubscribe the cores: waits must back off for a preempted owner or
 * lock holder to get the CPU), the real {@code QueueConsumer} as the device; see {@link IssuerStress} for
 * what is checked. Size: {@code -Dcmdq.stress.ops} commands per case (CI: 1,000,000 with the fixed seed
 * {@code -Dcmdq.stress.seed}; 10,000,000 and more from the command line).
 *
 * <p>Budget: the full CI size per case fits easily — on this 2-core machine a 1,000,000-command case
 * takes 0.2 to 0.6 s, all 12 cases about 5 s (10,000,000 per case: about 15 s), leaving room in the
 * 4-minute budget for more strategies at the same size.
 */
@Tag("stress")
class CommandIssuerStressTest
{
    static List<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final IssuerFactories.Named factory : IssuerFactories.ALL)
        {
            for (final int producers : new int[] {2, 4, 8})
            {
                cases.add(Arguments.of(factory, producers));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, {1} producers")
    @MethodSource("cases")
    void nothingLostDuplicatedTornOrReorderedCallsContiguousSyncsReleasedAfterTheirCommands(
        final IssuerFactories.Named factory, final int producers) throws Exception
    {
        final IssuerStress.Result result = new IssuerStress(
            factory.factory(), producers, IssuerStress.OPS, IssuerStress.SEED, WaitPolicy.linuxDefault(), false,
            factory.coalescesSyncs()).run();
        System.out.println(factory + ", " + producers + " producers: " + result);

        assertEquals(0, result.violations(), result.toString());
        assertEquals(IssuerStress.OPS / producers * producers, result.commands(), result.toString());
        if (factory.coalescesSyncs())
        {
            // Group commit: one completion entry may release several sync calls, never none.
            assertTrue(result.completions() <= result.syncs() && result.completions() > 0, result.toString());
        }
        else
        {
            assertEquals(result.syncs(), result.completions(), result.toString());
        }
        assertTrue(result.syncs() > 0, "the run issued syncs: " + result);
    }
}
