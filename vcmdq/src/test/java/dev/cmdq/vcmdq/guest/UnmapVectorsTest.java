package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every row of the shared {@code linux-unmap-sequences.csv} through the guest driver, two ways:
 * (a) into a recording issuer written in the test, which sees each insertion call; (b) end to end
 * through {@link GuestSmmu} on a real Linux lock-free issuer over a ring in guest memory consumed by a
 * device that records the words it executes.
 */
class UnmapVectorsTest
{
    @Test
    void everyRowThroughARecordingIssuer() throws IOException
    {
        final List<UnmapVectorRow> rows = UnmapVectorFile.read(SharedVectors.unmapSequences());
        assertEquals(150, rows.size());
        final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
        final CommandBatch plain = new CommandBatch(recorder, false);
        final CommandBatch forceSync = new CommandBatch(recorder, true);
        final GuestInvalidator invalidator = new GuestInvalidator();
        final UnmapRequest request = new UnmapRequest();
        final UnmapInputs inputs = new UnmapInputs();
        final List<String> failures = new ArrayList<>();
        for (final UnmapVectorRow row : rows)
        {
            inputs.parse(UnmapOp.ofCsvName(row.op()), row.inputs(), request);
            recorder.reset(inputs.syncCs());
            final int status = invalidator.invalidate(request, inputs.forceSync() ? forceSync : plain);
            final String got = IssueStatus.name(status) + " " + recorder.commands() + "," + recorder.entryCount() + "," +
                recorder.syncCount() + "," + recorder.issues();
            final String expected = "OK " + row.commands() + "," + row.nCmds() + "," + row.nSyncs() + "," + row.issues();
            if (!got.equals(expected))
            {
                failures.add("row " + row.number() + ": expected " + abbreviate(expected) + " got " + abbreviate(got));
            }
        }
        assertEquals(List.of(), failures);
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 400 ? text : text.substring(0, 200) + "..." + text.substring(text.length() - 200);
    }
}
