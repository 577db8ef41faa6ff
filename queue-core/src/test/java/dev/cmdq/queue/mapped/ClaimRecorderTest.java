package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.ClaimJournal;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a real call leaves in its claim record after each journal step, read from the file right after
 * the step: the expected words are typed from the table in {@link ClaimRecorder} and the algorithm's
 * steps (smmuv3-cmdq.md §4.2), for a sync owner call of 3 commands on an idle ring, then a second call.
 */
class ClaimRecorderTest
{
    private Path dir;
    private MappedRingMemory memory;

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-recorder-test-");
        memory = MappedRingMemory.create(dir.resolve("q.ring"), 7, 0x4000_0000L);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        memory.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Expected record word without SEQ. */
    private static long word(final int phase, final int start, final int end, final boolean owner, final int lock)
    {
        return ((long)lock << 45) | ((long)phase << 41) | (owner ? 1L << 40 : 0) | ((long)end << 20) | start;
    }

    @Test
    void eachStepLeavesItsRecordInTheFile()
    {
        final List<String> steps = new ArrayList<>();
        final List<Long> words = new ArrayList<>();
        final ClaimRecords records = new ClaimRecords(memory.claimRecords());
        final TestCompletionEntry completion = new TestCompletionEntry();
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), (b, o, c) -> CommandError.NONE, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        final MappedLinuxIssuer issuer = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE),
            ProducerLeases.holderWord(ProcessHandle.current()), MappedLinuxIssuer.DEFAULT_SCAN_INTERVAL_NS,
            journal -> (ClaimJournal)Proxy.newProxyInstance(ClaimJournal.class.getClassLoader(), new Class<?>[] {ClaimJournal.class},
                (proxy, method, args) ->
                {
                    final Object result;
                    try
                    {
                        result = method.invoke(journal, args);
                    }
                    catch (final InvocationTargetException e)
                    {
                        throw e.getCause();
                    }
                    final int lease = method.getName().equals("begin") ? (Integer)result : (Integer)args[0];
                    steps.add(method.getName());
                    words.add(records.lv(lease) & ((1L << 48) - 1));
                    return result;
                }));
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * 16));

        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 3, true));
        final int wrap = 0; // 128 slots: positions 0..255, none wrapped yet
        assertEquals(List.of("begin", "reserving", "claimed", "sharedLocking", "sharedLocked", "published", "gathering",
            "gathered", "handedOver", "sharedUnlocking", "sharedUnlocked", "end"), steps);
        assertEquals(List.of(
            0L,                                                              // begin: IDLE
            word(ClaimRecords.RESERVING, wrap, 4, true, 0),                  // expected word prod 0, OWNED clear; k = 3 + sync
            word(ClaimRecords.CLAIMED, 0, 4, true, 0),
            word(ClaimRecords.CLAIMED, 0, 4, true, ClaimRecords.SHARED_LOCKING),
            word(ClaimRecords.CLAIMED, 0, 4, true, ClaimRecords.SHARED_HELD),
            word(ClaimRecords.PUBLISHED, 0, 4, true, ClaimRecords.SHARED_HELD),
            word(ClaimRecords.GATHERING, 0, 4, true, ClaimRecords.SHARED_HELD),
            word(ClaimRecords.GATHERED, 0, 4, true, ClaimRecords.SHARED_HELD), // gathered end 4: nobody else reserved
            word(ClaimRecords.HANDED_OVER, 0, 4, true, ClaimRecords.SHARED_HELD),
            word(ClaimRecords.HANDED_OVER, 0, 4, true, ClaimRecords.SHARED_UNLOCKING),
            word(ClaimRecords.HANDED_OVER, 0, 4, true, ClaimRecords.NONE),
            0L),                                                             // end: IDLE
            words);

        steps.clear();
        words.clear();
        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 2, false));
        assertEquals(List.of("begin", "reserving", "claimed", "published", "gathering", "gathered", "handedOver", "end"), steps);
        assertEquals(word(ClaimRecords.RESERVING, 4, 6, true, 0), words.get(1), "the next call reserves from 4");
        assertEquals(word(ClaimRecords.GATHERED, 4, 6, true, 0), words.get(5));
        issuer.close();
        consumer.close();
    }
}
