package dev.cmdq.queue;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The device side of one command queue, as an SMMU (or QEMU's {@code smmuv3_cmdq_consume},
 * smmuv3-cmdq.md §5.2) runs it: read PROD (acquire), hand every entry from CONS up to PROD to an
 * {@link EntryHandler} as a flyweight over its slot, and advance CONS (release store).
 *
 * <pre>
 *  drain(limit):
 *    halted?  -> GERROR.CMDQ_ERR still active (GERRORN not written back)? consume nothing
 *    prod := PROD                               (acquire, once per drain)
 *    for each entry at CONS (at most limit, up to prod):
 *       err = handler.onEntry(ring, slot, cons)
 *       err != 0 -> CONS := cons | ERR=err      (release; CONS stays ON the entry)
 *                   GERROR ^= CMDQ_ERR          (release, after CONS: software reads ERR after GERROR)
 *                   halt
 *       completion entry with write-back ->
 *                   *(addr) := value            (32-bit release store, BEFORE CONS passes the entry)
 *       cons := cons + 1
 *    CONS := cons | ERR kept                    (one release store per drain)
 * </pre>
 *
 * <p><b>Halting.</b> A non-zero CERROR stops the consumer on the failing entry with its code in
 * CONS.ERR and GERROR.CMDQ_ERR toggled ({@link GlobalError#raise}). Nothing is consumed until software
 * acknowledges by writing GERRORN so that CMDQ_ERR is no longer active (smmuv3-cmdq.md §1.5); the
 * consumer then restarts <em>at</em> CONS, re-reading the slot, so software may repair it first
 * ({@link CommandErrorRecovery}). While no error occurs, CONS keeps the ERR bits last written, as QEMU
 * does.
 *
 * <p><b>Write-backs.</b> When the {@link CompletionEntry} recognises a completion entry that asks for a
 * write-back, the 32-bit value is stored at the write-back address, which is resolved against the ring:
 * it must lie in {@code [deviceAddress, deviceAddress + 2^L*16 - 4]} and be 4-byte aligned. Any other
 * address (this model has no other device memory) is not written: the consumer raises
 * GERROR.MSI_CMDQ_ABT_ERR, as an SMMU does when its MSI write aborts, and goes on — the completion
 * itself succeeded, CONS moves past it, the queue does not halt. A waiter on that word then learns from
 * CONS that the word will never come ({@link SingleWriterProducer#awaitCompletion}).
 *
 * <p><b>Exceptions.</b> If the handler throws, or returns a code outside the CERROR range
 * [1, {@link CommandError#MAX}] (an {@link IllegalStateException} naming it and CONS), the entries before
 * that one count as consumed (CONS is stored) and that one is retried on the next drain.
 *
 * <p><b>Threads.</b> A ring has one consumer at a time; {@link #drain(int)} must be called by one
 * thread at a time (for example as an Agrona {@link Agent}: {@link #doWork()} drains one batch).
 * The counters are plain fields of that thread.
 */
public final class QueueConsumer implements Agent, AutoCloseable
{
    /** Entries {@link #doWork()} consumes at most per call, unless configured otherwise. */
    public static final int DEFAULT_BATCH = 64;

    private final RingMemory memory;
    private final UnsafeBuffer buffer;
    private final QueueRegisters registers;
    /**
     * What runs each entry: the caller's handler itself when no completions are expected, else a
     * {@link CompletingHandler} around it. Chosen once here, so a ring without completions pays no
     * completion check per entry.
     */
    private final EntryHandler runner;
    private final CompletionEntry completion;
    private final int batchLimit;
    private final int indexMask;
    private final int wrapIndexMask;
    private final long deviceAddress;
    private final int ringBytes;
    private boolean closed;

    /** CONS index and wrap (low L+1 bits only). */
    private int cons;
    /** The CONS bits above IDX and WRAP (ERR, bit 31), kept across advances as QEMU keeps them. */
    private int consHighBits;
    private boolean halted;

    private long halts;
    private long writeBacks;
    private long writeBackAborts;

    /**
     * @param memory     the ring; retained until {@link #close()}.
     * @param registers  the queue's registers; CONS and GERROR/GERRORN are read once here to start from
     *                   the queue's current state (a queue halted on an error stays halted).
     * @param handler    the action on every entry.
     * @param completion recognises completion entries and their write-back, or null if none are expected
     *                   (every entry is then only handed to the handler).
     */
    public QueueConsumer(
        final RingMemory memory,
        final QueueRegisters registers,
        final EntryHandler handler,
        final CompletionEntry completion)
    {
        this(memory, registers, handler, completion, DEFAULT_BATCH);
    }

    /**
     * @param memory     the ring; retained until {@link #close()}.
     * @param registers  the queue's registers.
     * @param handler    the action on every entry.
     * @param completion recognises completion entries and their write-back, or null.
     * @param batchLimit entries {@link #doWork()} consumes at most per call, {@code >= 1}.
     * @throws IllegalArgumentException naming {@code batchLimit} when below 1.
     */
    public QueueConsumer(
        final RingMemory memory,
        final QueueRegisters registers,
        final EntryHandler handler,
        final CompletionEntry completion,
        final int batchLimit)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.registers = Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(handler, "handler");
        this.completion = completion;
        this.runner = completion == null ? handler : new CompletingHandler(handler, completion);
        if (batchLimit < 1)
        {
            throw new IllegalArgumentException("batchLimit=" + batchLimit + " is below 1");
        }
        this.batchLimit = batchLimit;
        final int log2Size = memory.log2Size();
        this.indexMask = QueueIndex.indexMask(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.deviceAddress = memory.deviceAddress();
        this.ringBytes = QueueIndex.capacity(log2Size) << RingMemory.ENTRY_SHIFT;

        final int consValue = registers.getConsAcquire();
        this.cons = consValue & wrapIndexMask;
        this.consHighBits = consValue & ~wrapIndexMask;
        this.halted = (GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) &
            GlobalError.CMDQ_ERR) != 0;

        memory.retain();
        this.buffer = memory.buffer();
    }

    /**
     * Consumes up to {@code limit} entries.
     *
     * @param limit most entries to consume, {@code >= 1}.
     * @return the number of entries consumed (executed, CONS moved past them); 0 when the queue is empty,
     *         halted on an error, or the handler failed on the first entry.
     * @throws IllegalArgumentException naming {@code limit} when below 1.
     */
    public int drain(final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit=" + limit + " is below 1");
        }
        if (halted && !acknowledged())
        {
            return 0;
        }

        if (limit == 1)
        {
            return drainOne();
        }

        // Fields in locals: the handler is an opaque call, so the JIT would otherwise reload them per entry.
        final UnsafeBuffer buffer = this.buffer;
        final QueueRegisters registers = this.registers;
        final EntryHandler runner = this.runner;
        final int indexMask = this.indexMask;
        final int wrapIndexMask = this.wrapIndexMask;
        int c = cons;
        // PROD is read once per drain, as QEMU's consume loop does: entries published during the drain wait
        // for the next one, and nothing about PROD has to be remembered between drains.
        final int prod = registers.getProdAcquire() & wrapIndexMask;
        int done = 0;
        int error = CommandError.NONE;
        try
        {
            // A counted loop: "up to PROD" and "at most limit" folded into one bound before it starts.
            final int n = Math.min(limit, (prod - c) & wrapIndexMask);
            while (done < n)
            {
                error = runner.onEntry(buffer, (c & indexMask & QueueIndex.MAX_INDEX_MASK) << RingMemory.ENTRY_SHIFT, c);
                if (error != CommandError.NONE)
                {
                    break;
                }
                c = (c + 1) & wrapIndexMask;
                done++;
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // A handler that throws has not executed its entry: commit what ran before it, then rethrow.
            commit(registers, c, done, CommandError.NONE);
            throw ex;
        }
        commit(registers, c, done, error);
        return done;
    }

    /**
     * One duty cycle of the agent: {@code drain(batchLimit)}.
     *
     * @return entries consumed, so an idle strategy backs off when there was nothing to do.
     */
    @Override
    public int doWork()
    {
        return drain(batchLimit);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "cmdq-consumer";
    }

    /**
     * Releases the ring memory when the agent stops.
     */
    @Override
    public void onClose()
    {
        close();
    }

    /**
     * Releases the ring memory. Idempotent; call from the consuming thread (or after it stopped).
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            memory.release();
        }
    }

    /**
     * @return true while stopped on a command error that software has not acknowledged yet (as of the
     *         last drain).
     */
    public boolean isHalted()
    {
        return halted;
    }

    /**
     * @return the consumer's CONS index and wrap (without ERR).
     */
    public int cons()
    {
        return cons;
    }

    /**
     * @return times the consumer halted on a command error.
     */
    public long halts()
    {
        return halts;
    }

    /**
     * @return completion words written.
     */
    public long writeBacks()
    {
        return writeBacks;
    }

    /**
     * @return write-backs refused because the address was outside the ring (MSI_CMDQ_ABT_ERR raised).
     */
    public long writeBackAborts()
    {
        return writeBackAborts;
    }

    /**
     * The one-entry drain (a lone command, a CMD_SYNC waited on), apart from the counted loop whose set-up
     * costs one entry more than it saves (measured). Each field is read where it is first needed, after
     * the PROD acquire, so fewer values stay live across the handler. Nothing runs before the entry, so a
     * handler that throws leaves nothing to commit: no exception handler on this path.
     */
    private int drainOne()
    {
        final QueueRegisters registers = this.registers;
        final int c = cons;
        if (c == (registers.getProdAcquire() & wrapIndexMask))
        {
            return 0;
        }
        final int error = runner.onEntry(buffer, (c & indexMask & QueueIndex.MAX_INDEX_MASK) << RingMemory.ENTRY_SHIFT, c);
        if (error != CommandError.NONE)
        {
            commit(registers, c, 0, error);
            return 0;
        }
        commit(registers, (c + 1) & wrapIndexMask, 1, CommandError.NONE);
        return 1;
    }

    private void commit(final QueueRegisters registers, final int c, final int done, final int error)
    {
        cons = c;
        if (error != CommandError.NONE)
        {
            if (error < 0 || error > CommandError.MAX)
            {
                // Not a code CONS.ERR can carry: a handler bug, reported like a handler exception (the
                // entries before it stay consumed, this one is retried) instead of a silently masked code.
                if (done != 0)
                {
                    registers.putConsRelease(consHighBits | c);
                }
                throw new IllegalStateException("handler returned error code " + error + " for the entry at CONS=0x" +
                    Integer.toHexString(c) + ", outside the CERROR range [1, " + CommandError.MAX + "]");
            }
            halt(c, error);
        }
        else if (done != 0)
        {
            registers.putConsRelease(consHighBits | c);
        }
    }

    private boolean acknowledged()
    {
        final int active = GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire());
        if ((active & GlobalError.CMDQ_ERR) != 0)
        {
            return false;
        }
        halted = false;
        return true;
    }

    private void halt(final int at, final int error)
    {
        // CONS.ERR first, GERROR second, both release: software that sees the GERROR toggle (acquire)
        // reads the code in CONS.ERR and CONS on the failing entry.
        consHighBits = ConsRegister.withErr(consHighBits, error);
        registers.putConsRelease(consHighBits | at);
        raise(GlobalError.CMDQ_ERR);
        halted = true;
        halts++;
    }

    private void writeBack(final int offset)
    {
        final long address = completion.writeBackAddress(buffer, offset);
        if (address == CompletionEntry.NO_WRITE_BACK)
        {
            return;
        }
        final long at = address - deviceAddress;
        if (at < 0 || at > ringBytes - Integer.BYTES || (at & (Integer.BYTES - 1)) != 0)
        {
            writeBackAborts++;
            raise(GlobalError.MSI_CMDQ_ABT_ERR);
            return;
        }
        buffer.putIntRelease((int)at, completion.writeBackValue(buffer, offset));
        writeBacks++;
    }

    private void raise(final int bits)
    {
        final int gerror = registers.getGerrorAcquire();
        final int raised = GlobalError.raise(gerror, registers.getGerrornAcquire(), bits);
        if (raised != gerror)
        {
            registers.putGerrorRelease(raised);
        }
    }

    /**
     * Runs the caller's handler, then, when the entry was executed and is a completion, its write-back:
     * the completion word is stored before the drain moves CONS past the entry.
     */
    private final class CompletingHandler implements EntryHandler
    {
        private final EntryHandler handler;
        private final CompletionEntry completion;

        CompletingHandler(final EntryHandler handler, final CompletionEntry completion)
        {
            this.handler = handler;
            this.completion = completion;
        }

        @Override
        public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            final int error = handler.onEntry(buffer, offset, cons);
            if (error == CommandError.NONE && completion.isCompletion(buffer, offset))
            {
                writeBack(offset);
            }
            return error;
        }
    }
}
