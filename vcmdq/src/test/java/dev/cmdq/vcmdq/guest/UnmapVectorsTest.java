package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.smmu.CmdSyncCompletion;
import java.nio.ByteOrder;
import org.agrona.concurrent.SystemNanoClock;
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

    @Test
    void everyRowEndToEndThroughTheGuestDriverAndADevice() throws IOException
    {
        final List<UnmapVectorRow> rows = UnmapVectorFile.read(SharedVectors.unmapSequences());
        final UnmapRequest request = new UnmapRequest();
        final UnmapInputs inputs = new UnmapInputs();
        final List<String> failures = new ArrayList<>();
        int vcmdqRows = 0;
        for (final UnmapVectorRow row : rows)
        {
            inputs.parse(UnmapOp.ofCsvName(row.op()), row.inputs(), request);
            final boolean vcmdq = inputs.syncCs() == 0;
            vcmdqRows += vcmdq ? 1 : 0;
            final String problem = runEndToEnd(row, request, inputs.forceSync(), vcmdq);
            if (problem != null)
            {
                failures.add("row " + row.number() + ": " + problem);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(17, vcmdqRows, "sync_cs=0 rows in the public file (linux-unmap-sequences.md section 7)");
    }

    /**
     * One row on a fresh guest: sync_cs=2 rows on an emulated CMDQ, sync_cs=0 rows on two VCMDQs, issued
     * by vCPU (row mod 3); the device of the vCPU's queue runs whenever the vCPU waits.
     */
    private static String runEndToEnd(
        final UnmapVectorRow row, final UnmapRequest request, final boolean forceSync, final boolean vcmdq)
    {
        final long base = 0x4000_0000L;
        final int log2Size = 8;
        final GuestMemory memory = GuestMemory.allocate(base, 2 * 4096);
        final long[] gpas = {base, base + 4096};
        final MappedQueueRegisters[] registers = {MappedQueueRegisters.allocate(), MappedQueueRegisters.allocate()};
        final int vcpu = row.number() % 3;
        final int queue = vcmdq ? vcpu % 2 : 0;
        final List<String> consumed = new ArrayList<>();
        final QueueConsumer device = new QueueConsumer(memory.ring(gpas[queue], log2Size), registers[queue],
            (buffer, offset, cons) ->
            {
                consumed.add(String.format("%016x:%016x",
                    buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN)));
                return CommandError.NONE;
            },
            vcmdq ? CmdSyncCompletion.BUSY_POLL : CmdSyncCompletion.LINUX);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
        final WaitPolicy wait = new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE);
        try (GuestSmmu smmu = vcmdq ?
            GuestSmmu.vcmdqs(memory, gpas, log2Size, registers, 3, forceSync, wait) :
            GuestSmmu.emulatedCmdq(memory, gpas[0], log2Size, registers[0], 3, forceSync, wait))
        {
            final int status = smmu.unmap(vcpu, request);
            final GuestVcpu state = smmu.vcpu(vcpu);
            final String got = IssueStatus.name(status) + " queue " + state.queue() + " " + String.join("|", consumed) +
                "," + (state.commands() + state.syncs()) + "," + state.syncs() + "," + state.insertions() +
                ", other queue PROD " + registers[1 - queue].getProdAcquire();
            final String expected = "OK queue " + queue + " " + row.commands() + "," + row.nCmds() + "," + row.nSyncs() +
                "," + row.issues().split("/").length + ", other queue PROD 0";
            return got.equals(expected) ? null : "expected " + abbreviate(expected) + " got " + abbreviate(got);
        }
        finally
        {
            device.close();
            registers[0].close();
            registers[1].close();
        }
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 400 ? text : text.substring(0, 200) + "..." + text.substring(text.length() - 200);
    }
}
