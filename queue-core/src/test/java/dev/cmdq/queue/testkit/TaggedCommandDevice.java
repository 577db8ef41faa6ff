package dev.cmdq.queue.testkit;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device side of the Lincheck tests of a multi-producer issuer: a ring, its registers, the real
 * {@link QueueConsumer} driven by whichever caller is waiting (an idle step drains once under a try-lock,
 * so the device stays single-threaded), and a checker of tagged calls. Each call's commands carry its tag
 * and their index; the device checks that every command arrives intact, that a call's commands are
 * contiguous and in order, and records the position of each call's first command — counting every slot
 * or only commands, as the issuer's sequential specification says.
 */
public final class TaggedCommandDevice
{
    private static final int MAX_TAGS = 1024;

    private final DirectRingMemory memory;
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final QueueConsumer device;
    private final boolean countSyncSlots;
    private final AtomicBoolean deviceBusy = new AtomicBoolean();
    private final AtomicInteger tags = new AtomicInteger();
    private final AtomicLong issuedCommands = new AtomicLong();
    private final AtomicIntegerArray firstPosition = new AtomicIntegerArray(MAX_TAGS);
    // Device state, touched only under deviceBusy.
    private int position;
    private int openTag;
    private int nextIndex;
    private long executedCommands;
    private volatile String failure;

    /**
     * @param log2Size       ring size exponent.
     * @param countSyncSlots whether sync slots count as positions (a slot counter) or not (a command
     *                       counter).
     */
    public TaggedCommandDevice(final int log2Size, final boolean countSyncSlots)
    {
        this.memory = DirectRingMemory.allocate(log2Size);
        this.device = new QueueConsumer(memory, registers, this::onEntry, completion);
        this.countSyncSlots = countSyncSlots;
    }

    /**
     * @return the ring the issuer writes.
     */
    public DirectRingMemory memory()
    {
        return memory;
    }

    /**
     * @return the queue's registers.
     */
    public MappedQueueRegisters registers()
    {
        return registers;
    }

    /**
     * @return the completion format the device recognises.
     */
    public TestCompletionEntry completion()
    {
        return completion;
    }

    /**
     * @return a fresh idle strategy whose every step drives the device once, then yields.
     */
    public IdleStrategy newIdleStrategy()
    {
        return new DevicePoke();
    }

    /**
     * Encodes the next call's {@code n} commands, tagged.
     *
     * @param n commands, 1..255.
     * @return the call's tag (its position is {@link #firstPosition(int)} once the device ran it) and
     *         commands; they count as issued from here on.
     */
    public TaggedCall newCall(final int n)
    {
        final int tag = tags.incrementAndGet();
        final UnsafeBuffer commands = new UnsafeBuffer(new byte[n * 16]);
        for (int i = 0; i < n; i++)
        {
            StressEntry.write(commands, i * 16, ((long)tag << 8) | i, i == n - 1 ? 1 : 0);
        }
        issuedCommands.addAndGet(n);
        return new TaggedCall(tag, commands);
    }

    /**
     * @param tag a call's tag.
     * @return the position of its first command, as the device saw it.
     */
    public int firstPosition(final int tag)
    {
        return firstPosition.get(tag);
    }

    /**
     * Drains the device and checks that every command was executed once, intact and contiguous.
     *
     * @throws IllegalStateException naming the first violation.
     */
    public void drainAndValidate()
    {
        while (registers.getConsAcquire() != registers.getProdAcquire())
        {
            poke();
        }
        if (failure != null)
        {
            throw new IllegalStateException(failure);
        }
        if (executedCommands != issuedCommands.get())
        {
            throw new IllegalStateException(executedCommands + " commands executed of " + issuedCommands.get());
        }
    }

    /**
     * One call's tag and encoded commands.
     *
     * @param tag      the call's tag.
     * @param commands its commands, 16 bytes each.
     */
    public record TaggedCall(int tag, UnsafeBuffer commands)
    {
    }

    private int poke()
    {
        if (!deviceBusy.compareAndSet(false, true))
        {
            return 0;
        }
        try
        {
            return device.drain(64);
        }
        finally
        {
            deviceBusy.set(false);
        }
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (countSyncSlots)
        {
            position++;
        }
        if (completion.isCompletion(buffer, offset))
        {
            check(openTag == 0, "completion inside the call of tag " + openTag);
            return CommandError.NONE;
        }
        final int at = countSyncSlots ? position - 1 : position++;
        check(StressEntry.isIntact(buffer, offset), "torn entry at position " + at);
        final long sequence = StressEntry.sequence(buffer, offset);
        final int tag = (int)(sequence >>> 8);
        final int index = (int)(sequence & 0xFF);
        if (openTag == 0)
        {
            check(index == 0, "tag " + tag + " starts at command " + index);
            firstPosition.set(tag, at);
        }
        else
        {
            check(tag == openTag && index == nextIndex, "tag " + tag + "/" + index + " inside tag " + openTag);
        }
        openTag = (StressEntry.flags(buffer, offset) & 1) != 0 ? 0 : tag;
        nextIndex = index + 1;
        executedCommands++;
        return CommandError.NONE;
    }

    private void check(final boolean ok, final String what)
    {
        if (!ok && failure == null)
        {
            failure = what;
        }
    }

    /** An idle step: drive the device once if nobody else is, then yield. */
    private final class DevicePoke implements IdleStrategy
    {
        @Override
        public void idle(final int workCount)
        {
            idle();
        }

        @Override
        public void idle()
        {
            poke();
            Thread.yield();
        }

        @Override
        public void reset()
        {
        }
    }
}
