package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.ProdCons;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process-shared issuer on one ring file: a second issuer joins the state the first one left
 * (nothing reset), each issuing thread holds a lease of its own until close, a too small ring is
 * refused by name, and the warm hot path — with every step recorded in the file — allocates nothing.
 */
class MappedLinuxIssuerTest
{
    private static final long DEVICE = 0x4000_0000L;

    private Path dir;
    private MappedRingMemory memory;
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));
    private final List<Long> executed = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-mapped-issuer-test-");
        memory = MappedRingMemory.create(dir.resolve("q.ring"), 8, DEVICE);
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

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        executed.add(StressEntry.isIntact(buffer, offset) ? StressEntry.sequence(buffer, offset) : -1L);
        return CommandError.NONE;
    }

    private int heldLeases()
    {
        int held = 0;
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            held += memory.leases().holder(lease) != 0 ? 1 : 0;
        }
        return held;
    }

    @Test
    void aSecondIssuerJoinsTheStateTheFirstLeftAndEachHoldsItsOwnLease()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), this::onEntry, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        final WaitPolicy wait = new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE);
        final MappedLinuxIssuer first = MappedLinuxIssuer.join(memory, completion, CompletionWait.WRITE_BACK, wait);
        for (int i = 0; i < 10; i++)
        {
            StressEntry.write(commands, i * 16, i, 0);
        }
        assertEquals(IssueStatus.OK, first.issue(commands, 0, 10, false));
        assertEquals(1, heldLeases(), "the issuing thread took a lease");

        final MappedLinuxIssuer second = MappedLinuxIssuer.join(memory, completion, CompletionWait.WRITE_BACK, wait);
        assertEquals(ProdCons.pack(10, 0), second.issuer().prodCons(), "joined, not reset: llq = {10, 0} as the first left it");
        assertEquals(10, second.issuer().ownerProd());
        for (int i = 0; i < 5; i++)
        {
            StressEntry.write(commands, i * 16, 10 + i, 0);
        }
        assertEquals(IssueStatus.OK, second.issue(commands, 0, 5, true), "a sync after both batches completes");
        assertEquals(2, heldLeases(), "one lease per issuer and thread");
        assertEquals(16, memory.registers().getProdAcquire(), "10 + 5 commands + the sync");
        final List<Long> expected = new ArrayList<>();
        for (long s = 0; s < 15; s++)
        {
            expected.add(s);
        }
        expected.add(-1L); // the sync
        assertEquals(expected, executed);

        first.close();
        second.close();
        consumer.close();
        assertEquals(0, heldLeases(), "close gives back every lease");
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            assertEquals(0, memory.claimRecords().getLongVolatile(lease * RingFileLayout.CLAIM_RECORD_BYTES), "record " + lease);
        }
    }

    @Test
    void aRingTooSmallForLinuxsAlgorithmIsRefusedByName() throws IOException
    {
        try (MappedRingMemory small = MappedRingMemory.create(dir.resolve("small.ring"), 6, DEVICE))
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MappedLinuxIssuer.join(small, completion, CompletionWait.WRITE_BACK, WaitPolicy.linuxDefault()));
            assertTrue(e.getMessage().contains("log2Size=6"), e.getMessage());
        }
    }

    @Test
    void theWarmRecordedHotPathAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), (b, o, c) -> CommandError.NONE, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        final MappedLinuxIssuer issuer = MappedLinuxIssuer.join(memory, completion, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE));
        final int[] failures = new int[1];
        final Runnable run = () ->
        {
            for (int call = 0; call < 5_000; call++)
            {
                if (issuer.issue(commands, 0, call % 65, (call & 3) == 0) != IssueStatus.OK)
                {
                    failures[0]++;
                }
            }
        };
        // As IssuerZeroAllocationTest: a late compilation can leave stray bytes in one window, an allocation on the
        // hot path would be in every window.
        boolean clean = false;
        final long[] windows = new long[3];
        for (int attempt = 0; attempt < windows.length && !clean; attempt++)
        {
            windows[attempt] = AllocationProbe.bytesOnceWarm(run, 100, 3);
            clean = windows[attempt] == 0;
        }
        assertTrue(clean, "bytes allocated by 3 warm runs of 5,000 calls, per window: " + java.util.Arrays.toString(windows));
        assertEquals(0, failures[0]);
        issuer.close();
        consumer.close();
    }
}
