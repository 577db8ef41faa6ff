package dev.cmdq.queue;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck (stress mode; model checking cannot instrument Agrona buffers) on the real
 * {@link SingleWriterProducer} / {@link QueueConsumer} pair over a 2-slot ring: producer-side
 * {@code offer} (tryClaim, write in place, publish) and device-side {@code poll} (drain one) must be
 * linearizable against a sequential bounded FIFO of capacity 2. Each kind of operation runs on one
 * thread only ({@code nonParallelGroup}), as the single-producer / single-consumer contract demands.
 */
class ProducerConsumerLincheckTest
{
    static final int LOG2_SIZE = 1;
    static final int CAPACITY = 1 << LOG2_SIZE;
    static final int EMPTY = -1;
    static final int TORN = -2;

    /** The concurrent object Lincheck drives: a fresh ring per scenario. */
    public static class RingFifo
    {
        private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
        private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
        private final SingleWriterProducer producer =
            new SingleWriterProducer(memory, registers, null, NoOpIdleStrategy.INSTANCE, 0);
        private final QueueConsumer consumer = new QueueConsumer(memory, registers, this::onEntry, null);
        private int polled;

        private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            final long value = buffer.getLong(offset);
            polled = buffer.getLong(offset + 8) == ~value ? (int)value : TORN;
            return CommandError.NONE;
        }

        /**
         * @param value payload.
         * @return false when the ring is full.
         */
        @Operation(nonParallelGroup = "producer")
        public boolean offer(@Param(gen = IntGen.class, conf = "1:1000") final int value)
        {
            final int position = producer.tryClaim(1);
            if (position < 0)
            {
                return false;
            }
            final int offset = producer.slotOffset(position);
            producer.buffer().putLong(offset, value);
            producer.buffer().putLong(offset + 8, ~(long)value);
            producer.publish();
            return true;
        }

        /**
         * @return the oldest payload, or {@link #EMPTY}.
         */
        @Operation(nonParallelGroup = "consumer")
        public int poll()
        {
            polled = EMPTY;
            consumer.drain(1);
            return polled;
        }
    }

    /** Sequential specification: a bounded FIFO. */
    public static class BoundedFifo
    {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();

        /**
         * @param value payload.
         * @return false when full.
         */
        public boolean offer(final int value)
        {
            if (items.size() == CAPACITY)
            {
                return false;
            }
            items.addLast(value);
            return true;
        }

        /**
         * @return the oldest payload, or {@link #EMPTY}.
         */
        public int poll()
        {
            final Integer v = items.pollFirst();
            return v == null ? EMPTY : v;
        }
    }

    /** A wrong specification (no bound): the real queue must be told apart from it. */
    public static class UnboundedFifo
    {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();

        /**
         * @param value payload.
         * @return always true.
         */
        public boolean offer(final int value)
        {
            items.addLast(value);
            return true;
        }

        /**
         * @return the oldest payload, or {@link #EMPTY}.
         */
        public int poll()
        {
            final Integer v = items.pollFirst();
            return v == null ? EMPTY : v;
        }
    }

    private static StressOptions options(final Class<?> spec)
    {
        return new StressOptions()
            .iterations(20)
            .invocationsPerIteration(500)
            .threads(2)
            .actorsPerThread(4)
            .actorsBefore(2)
            .actorsAfter(2)
            .minimizeFailedScenario(false)
            .sequentialSpecification(spec);
    }

    @Test
    void offerAndPollAreLinearizableAsABoundedFifo()
    {
        options(BoundedFifo.class).check(RingFifo.class);
    }

    @Test
    void theCheckCanFailTheQueueIsNotUnbounded()
    {
        assertThrows(AssertionError.class, () -> options(UnboundedFifo.class).check(RingFifo.class));
    }
}
