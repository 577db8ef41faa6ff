package dev.cmdq.queue.mapped;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Leases taken and given back, their encoding in the file, a reused process id told from its dead
 * holder, and a holder in another process killed with SIGKILL and found dead, reclaimed exactly once.
 */
class ProducerLeasesTest
{
    private static final long CHILD_DEADLINE_MS = 60_000;
    private static final Pattern LEASE = Pattern.compile("LEASE (\\d+) (-?\\d+)");

    private Path dir;
    private Path file;
    private MappedRingMemory memory;
    private ProducerLeases leases;
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-lease-test-");
        file = dir.resolve("q.ring");
        memory = MappedRingMemory.create(file, 7, 0);
        leases = memory.leases();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final ChildJvm child : children)
        {
            child.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        memory.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long leaseWordInFile(final int lease) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, 1024 + 8L * lease);
            return bytes.getLong(0);
        }
    }

    @Test
    void aLeaseNamesThisProcessInOneWordOfTheFile() throws IOException
    {
        final ProcessHandle me = ProcessHandle.current();
        final long ticks = me.info().startInstant().orElseThrow().toEpochMilli() / 10;
        final int lease = leases.acquire();
        assertEquals(0, lease, "the first free lease");
        final long word = leases.holder(lease);
        assertEquals(me.pid(), ProducerLeases.pid(word));
        assertEquals(ticks, ProducerLeases.startTicks(word));
        assertEquals((ticks << 22) | me.pid(), leaseWordInFile(0), "the documented encoding at offset 1024");
        assertFalse(leases.isDead(lease), "this process is alive");
        assertEquals(-1, leases.firstDead(0));
        assertTrue(ProducerLeases.describe(word).contains("pid " + me.pid()), ProducerLeases.describe(word));

        assertEquals(1, leases.acquire(), "one process may hold several leases (one per producer)");
        leases.release(0);
        assertEquals(0, leaseWordInFile(0), "released: free again");
        assertEquals(0, leases.acquire(), "and reused first");
    }

    @Test
    void misuseIsNamed()
    {
        final IllegalStateException notMine = assertThrows(IllegalStateException.class, () -> leases.release(3));
        assertTrue(notMine.getMessage().contains("lease 3") && notMine.getMessage().contains("free"), notMine.getMessage());
        final IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> leases.holder(64));
        assertTrue(range.getMessage().contains("lease=64"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> leases.isDead(-1));

        for (int i = 0; i < ProducerLeases.CAPACITY; i++)
        {
            assertEquals(i, leases.acquire());
        }
        final IllegalStateException full = assertThrows(IllegalStateException.class, leases::acquire);
        assertTrue(full.getMessage().contains("all 64") && full.getMessage().contains(file.toString()), full.getMessage());

        final long live = leases.holder(5);
        final IllegalArgumentException alive = assertThrows(IllegalArgumentException.class, () -> leases.reclaim(5, live));
        assertTrue(alive.getMessage().contains("not a dead holder"), alive.getMessage());
        assertEquals(live, leases.holder(5), "a live producer's lease is never taken away");
    }

    @Test
    void aReusedProcessIdIsNotItsDeadHolder()
    {
        final ProcessHandle me = ProcessHandle.current();
        final long ticks = me.info().startInstant().orElseThrow().toEpochMilli() / 10;
        // A holder that had this pid but started a second earlier: dead, though a process with its id lives.
        final long earlier = ProducerLeases.word(me.pid(), ticks - 100);
        assertFalse(ProducerLeases.isAlive(earlier));
        assertTrue(ProducerLeases.isAlive(ProducerLeases.word(me.pid(), ticks)));
    }

    @Test
    void aHolderReapedWhileItIsLookedAtIsDeadNotAlive()
    {
        // The flip seen in MultiProducerKillTest: the holder is still in the table at the first question,
        // is reaped before its start time is read (absent) and before /proc is read (no zombie), and is gone
        // at the end. Every answer but the first says "gone", so the verdict must be dead.
        final long word = ProducerLeases.word(4242, 1_000);
        final int[] aliveAsked = {0};
        final BooleanSupplier reaped = () -> aliveAsked[0]++ == 0;
        assertFalse(ProducerLeases.isAlive(word, reaped, Optional::empty, () -> false));
        assertEquals(2, aliveAsked[0], "asked again after the other questions");
    }

    @Test
    void theVerdictFollowsEachAnswerOfTheProcessTable()
    {
        final long word = ProducerLeases.word(4242, 1_000);
        final Supplier<Optional<Instant>> sameStart = () -> Optional.of(Instant.ofEpochMilli(1_000 * 10 + 7));
        final Supplier<Optional<Instant>> otherStart = () -> Optional.of(Instant.ofEpochMilli(1_001 * 10));
        assertTrue(ProducerLeases.isAlive(word, () -> true, sameStart, () -> false),
            "same pid, same start tick, there throughout");
        assertTrue(ProducerLeases.isAlive(word, () -> true, Optional::empty, () -> false),
            "no start time given but there throughout: a reuse cannot be proved");
        assertFalse(ProducerLeases.isAlive(word, () -> false, sameStart, () -> false), "the handle says not alive");
        assertFalse(ProducerLeases.isAlive(word, () -> true, otherStart, () -> false), "a reused pid: another start tick");
        assertFalse(ProducerLeases.isAlive(word, () -> true, sameStart, () -> true), "a zombie");
    }

    @Test
    void aPidTheProcessTableNoLongerHasIsDead() throws Exception
    {
        final Process child = new ProcessBuilder("sleep", "60").start();
        final long word = ProducerLeases.holderWord(child.toHandle());
        assertTrue(ProducerLeases.isAlive(word), "alive while it runs");
        child.destroyForcibly();
        assertTrue(child.waitFor(CHILD_DEADLINE_MS, TimeUnit.MILLISECONDS), "the child exited");
        child.onExit().get(CHILD_DEADLINE_MS, TimeUnit.MILLISECONDS); // reaped by the JDK
        assertFalse(ProducerLeases.isAlive(word), "no such pid: the process table has no entry");
    }

    @Test
    void aHolderKilledInAnotherProcessIsFoundDeadAndReclaimedOnce() throws Exception
    {
        leases.acquire(); // lease 0: this process, alive throughout
        final ChildJvm child = ChildJvm.start(LeaseHolderProcess.class, dir.resolve("holder.err"),
            file.toString(), Long.toString(CHILD_DEADLINE_MS));
        children.add(child);
        final Matcher m = child.expect(LEASE, 60);
        final int lease = Integer.parseInt(m.group(1));
        final long word = Long.parseLong(m.group(2));
        assertEquals(1, lease);
        assertEquals(word, leases.holder(lease), "both processes see the same lease word");
        assertEquals(child.process().pid(), ProducerLeases.pid(word));
        assertFalse(leases.isDead(lease), "the child is alive: its start time as this JVM reads it matches its own");
        assertEquals(-1, leases.firstDead(0));

        assertEquals(137, child.kill(30), "SIGKILL");
        // The OS knows at once; the child was reaped by kill(), so the first scan after it finds it.
        assertTrue(leases.isDead(lease));
        assertEquals(lease, leases.firstDead(0));
        assertFalse(leases.isDead(0), "the live holder is not dead");

        assertTrue(leases.reclaim(lease, word), "the first recoverer frees it");
        assertFalse(leases.reclaim(lease, word), "a second recoverer with the same view does not");
        assertEquals(0, leases.holder(lease));
        assertEquals(-1, leases.firstDead(0));
        assertEquals(lease, leases.acquire(), "the freed lease is taken again");
    }

    @Test
    void anUnreapedDeadHolderIsDeadAlthoughTheJdkCallsItAlive() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")) && Files.isExecutable(Path.of("/bin/sh")),
            "needs Linux /proc and sh");
        // sh starts a short-lived child, prints its pid, then becomes a sleep that never reaps it: a zombie.
        final Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.05 & echo $!; exec sleep 30").start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream()));
            final long pid = Long.parseLong(out.readLine().trim());
            final ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();
            final long word = ProducerLeases.holderWord(zombie);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ProducerLeases.isZombie(pid) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertTrue(ProducerLeases.isZombie(pid), "the child exited and was not reaped");
            assertTrue(zombie.isAlive(), "the JDK still reports it alive (why the lease looks further)");
            assertFalse(ProducerLeases.isAlive(word), "a zombie holder is dead");
            assertFalse(ProducerLeases.isZombie(ProcessHandle.current().pid()), "this process is running");
        }
        finally
        {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
