package dev.cmdq.queue.issue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linux's batch rules (smmuv3-cmdq.md §4.4) against a recording issuer: flush without sync at 64,
 * FORCE_SYNC flushes with sync at 63, submit always syncs (even empty), commands arrive intact and in
 * order; a failed flush changes nothing and loses nothing. Then over a real issuer and device.
 */
class CommandBatchTest
{
    /** Records every call: count, sync, and the first dword of each command. */
    private static final class RecordingIssuer implements CommandIssuer
    {
        final List<String> calls = new ArrayList<>();
        final List<Long> commands = new ArrayList<>();
        int status = IssueStatus.OK;

        @Override
        public int issue(final DirectBuffer buffer, final int offset, final int count, final boolean sync)
        {
            calls.add(count + (sync ? "+sync" : ""));
            if (status == IssueStatus.OK)
            {
                for (int i = 0; i < count; i++)
                {
                    assertEquals(~buffer.getLong(offset + i * 16), buffer.getLong(offset + i * 16 + 8), "intact");
                    commands.add(buffer.getLong(offset + i * 16));
                }
            }
            return status;
        }

        @Override
        public String name()
        {
            return "recording";
        }

        @Override
        public void close()
        {
        }
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long v = from; v < to; v++)
        {
            values.add(v);
        }
        return values;
    }

    @Test
    void dwordsGivenAsLongsAreStoredLittleEndianAndBufferedCommandsMovedByteForByte()
    {
        final byte[][] seen = new byte[2][];
        final CommandIssuer issuer = new CommandIssuer()
        {
            private int call;

            @Override
            public int issue(final DirectBuffer buffer, final int offset, final int count, final boolean sync)
            {
                final byte[] bytes = new byte[count * 16];
                buffer.getBytes(offset, bytes);
                seen[call++] = bytes;
                return IssueStatus.OK;
            }

            @Override
            public String name()
            {
                return "bytes";
            }

            @Override
            public void close()
            {
            }
        };
        final CommandBatch batch = new CommandBatch(issuer);
        assertEquals(IssueStatus.OK, batch.issueCommand(0x0807060504030201L, 0x100F0E0D0C0B0A09L));
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[16]);
        for (int i = 0; i < 16; i++)
        {
            encoded.putByte(i, (byte)(0x21 + i));
        }
        assertEquals(IssueStatus.OK, batch.add(encoded, 0));
        assertEquals(IssueStatus.OK, batch.submit());
        for (int i = 0; i < 16; i++)
        {
            assertEquals(i + 1, seen[0][i], "byte " + i + " of a command given as dwords (SMMU entries are little-endian)");
            assertEquals(0x21 + i, seen[1][i], "byte " + i + " of an encoded command");
        }
    }

    @Test
    void flushesWithoutSyncWhen64AreHeldAndSubmitSyncs()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        final CommandBatch batch = new CommandBatch(issuer);
        for (long i = 0; i < 150; i++)
        {
            assertEquals(IssueStatus.OK, batch.add(i, ~i));
        }
        assertEquals(List.of("64", "64"), issuer.calls);
        assertEquals(22, batch.count());
        assertEquals(IssueStatus.OK, batch.submit());
        assertEquals(List.of("64", "64", "22+sync"), issuer.calls);
        assertEquals(range(0, 150), issuer.commands);
        assertEquals(0, batch.count());
    }

    @Test
    void forceSyncNeverQueuesMoreThan63AheadOfASync()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        final CommandBatch batch = new CommandBatch(issuer, true);
        for (long i = 0; i < 130; i++)
        {
            assertEquals(IssueStatus.OK, batch.add(i, ~i));
        }
        assertEquals(List.of("63+sync", "63+sync"), issuer.calls);
        batch.submit();
        assertEquals(List.of("63+sync", "63+sync", "4+sync"), issuer.calls);
        assertEquals(range(0, 130), issuer.commands);
    }

    @Test
    void submitOfAnEmptyBatchIsALoneSync()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        assertEquals(IssueStatus.OK, new CommandBatch(issuer).submit());
        assertEquals(List.of("0+sync"), issuer.calls);
    }

    @Test
    void aFailedFlushKeepsTheBatchAndDoesNotAddTheCommand()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        final CommandBatch batch = new CommandBatch(issuer);
        for (long i = 0; i < 64; i++)
        {
            batch.add(i, ~i);
        }
        issuer.status = IssueStatus.TIMEOUT;
        assertEquals(IssueStatus.TIMEOUT, batch.add(64, ~64L));
        assertEquals(64, batch.count());
        assertEquals(IssueStatus.TIMEOUT, batch.submit());
        assertEquals(64, batch.count());

        issuer.status = IssueStatus.OK;
        assertEquals(IssueStatus.OK, batch.add(64, ~64L));
        assertEquals(IssueStatus.OK, batch.submit());
        assertEquals(range(0, 65), issuer.commands, "nothing lost");
        batch.add(1, ~1L);
        batch.clear();
        assertEquals(0, batch.count());
    }

    @Test
    void singleCommandFormsIssueOneCommandWithAndWithoutSyncLeavingTheBatchAlone()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        final CommandBatch batch = new CommandBatch(issuer);
        batch.add(1, ~1L);
        batch.add(2, ~2L);
        assertEquals(IssueStatus.OK, batch.issueCommand(10, ~10L));
        assertEquals(IssueStatus.OK, batch.issueCommandWithSync(11, ~11L));
        assertEquals(List.of("1", "1+sync"), issuer.calls);
        assertEquals(List.of(10L, 11L), issuer.commands);
        assertEquals(2, batch.count());
        batch.submit();
        assertEquals(List.of(10L, 11L, 1L, 2L), issuer.commands, "held commands intact");
    }

    @Test
    void addFromABufferCopiesSixteenBytesAndChecksTheOffset()
    {
        final RecordingIssuer issuer = new RecordingIssuer();
        final CommandBatch batch = new CommandBatch(issuer);
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
        source.putLong(16, 77);
        source.putLong(24, ~77L);
        assertEquals(IssueStatus.OK, batch.add(source, 16));
        batch.submit();
        assertEquals(List.of(77L), issuer.commands);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.add(source, 20));
        assertTrue(e.getMessage().contains("offset=20"), e.getMessage());
    }

    @Test
    void overLinuxsIssuerTheDeviceExecutesEveryCommandInOrder()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(8); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final List<Long> executed = new ArrayList<>();
            final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
            {
                executed.add(completion.isCompletion(b, o) ? -1L : b.getLong(o));
                return CommandError.NONE;
            }, completion);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
            final LinuxCmdqIssuer issuer = new LinuxCmdqIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, System::nanoTime));
            final CommandBatch batch = new CommandBatch(issuer);
            // dword0 = i << 8 keeps bits 7:0 clear of the test completion format's KIND (0xC5).
            for (long i = 0; i < 200; i++)
            {
                assertEquals(IssueStatus.OK, batch.add(i << 8, ~i));
            }
            assertEquals(IssueStatus.OK, batch.submit());

            final List<Long> expected = new ArrayList<>();
            for (long i = 0; i < 200; i++)
            {
                expected.add(i << 8);
            }
            expected.add(-1L);
            assertEquals(expected, executed, "three flushes without sync, then 8 commands and the sync");
            issuer.close();
            consumer.close();
        }
    }
}
