package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueIndex;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * The software state of a Linux multi-producer queue ({@code CmdqState}: packed prod/cons word,
 * {@code owner_prod}, cmdq lock, valid map) over memory the caller provides, typically a region of a
 * file that several processes map, so that each process's {@link LinuxCmdqIssuer} <em>joins</em> the
 * one state instead of resetting its own. Also the narrow view of that state a repairer of dead callers
 * needs (the words of steps 4a to 4e, the lock, the valid map).
 *
 * <p>{@link #initialise} is for the one party that sets the queue up before anybody shares it;
 * {@link #join} for everybody else. Memory that is all zero is already the initialised state for
 * PROD = CONS = 0 (a fresh ring file).
 */
public final class SharedCmdqState
{
    private final CmdqState state;

    private SharedCmdqState(final CmdqState state)
    {
        this.state = state;
    }

    /**
     * @param log2Size log2 of the ring's slots, 6..19.
     * @return bytes of memory the state needs.
     */
    public static int length(final int log2Size)
    {
        return CmdqState.length(QueueIndex.checkLog2Size(log2Size));
    }

    /**
     * Writes the initial state: llq = {prod, cons}, {@code owner_prod} = prod, lock free, valid map
     * consistent with {@code prod}. Call before anybody else uses the memory.
     *
     * @param buffer   at least {@link #length(int)} bytes, 8-byte aligned.
     * @param log2Size log2 of the ring's slots.
     * @param prod     the queue's PROD (index and wrap).
     * @param cons     the queue's CONS (index and wrap).
     * @return the state.
     * @throws IllegalArgumentException naming the buffer size or {@code log2Size} when unusable.
     */
    public static SharedCmdqState initialise(final AtomicBuffer buffer, final int log2Size, final int prod, final int cons)
    {
        final SharedCmdqState shared = join(buffer, log2Size);
        shared.state.reset(prod, cons);
        return shared;
    }

    /**
     * Wraps a state somebody else initialised, without touching it.
     *
     * @param buffer   at least {@link #length(int)} bytes, 8-byte aligned.
     * @param log2Size log2 of the ring's slots.
     * @return the state.
     * @throws IllegalArgumentException naming the buffer size or {@code log2Size} when unusable.
     */
    public static SharedCmdqState join(final AtomicBuffer buffer, final int log2Size)
    {
        Objects.requireNonNull(buffer, "buffer");
        return new SharedCmdqState(new CmdqState(buffer, QueueIndex.checkLog2Size(log2Size)));
    }

    CmdqState state()
    {
        return state;
    }

    /**
     * @return the packed {prod|OWNED, cons} word ({@link ProdCons}), volatile read.
     */
    public long lvProdCons()
    {
        return state.lvProdCons();
    }

    /**
     * Step 4b on behalf of a dead owner: clears OWNED with one atomic add on the whole word. Exact only
     * when OWNED is set and belongs to that owner's round (the caller's proof obligation).
     *
     * @return the prod half before the add (OWNED set): its index and wrap are the gathered end.
     */
    public int getAndClearOwned()
    {
        return ProdCons.prod(state.getAndAddProdCons(ProdCons.CLEAR_OWNED));
    }

    /**
     * @return {@code owner_prod}, acquire.
     */
    public int lvOwnerProd()
    {
        return state.lvOwnerProd();
    }

    /**
     * Step 4e: hands ownership to the round that starts at {@code ownerProd}, release.
     *
     * @param ownerProd the gathered end of the finished round.
     */
    public void soOwnerProd(final int ownerProd)
    {
        state.soOwnerProd(ownerProd);
    }

    /**
     * The exclusive holder's CONS refresh ({@code waitUntilNotFull}) on behalf of a dead holder: moves the
     * software CONS forward to {@code cons}, never backwards (see {@code CmdqState.advanceCons}).
     *
     * @param cons the hardware CONS just read (index and wrap).
     */
    public void advanceCons(final int cons)
    {
        state.advanceCons(cons, validMap().log2Size());
    }

    /**
     * @return the cmdq lock.
     */
    public CmdqLock lock()
    {
        return state.lock();
    }

    /**
     * @return the valid map.
     */
    public ValidMap validMap()
    {
        return state.validMap();
    }
}
