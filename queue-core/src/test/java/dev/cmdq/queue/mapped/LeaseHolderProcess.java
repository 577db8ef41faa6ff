package dev.cmdq.queue.mapped;

import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child of {@link ProducerLeasesTest}: opens a ring file, takes a producer lease, prints
 * {@code LEASE <index> <word>} and waits to be killed (ending by itself after {@code deadlineMillis}, or
 * when its parent dies, so no test leaves it behind).
 *
 * <p>Usage: {@code file deadlineMillis}.
 */
public final class LeaseHolderProcess
{
    private LeaseHolderProcess()
    {
    }

    /**
     * @param args file, deadlineMillis.
     */
    public static void main(final String[] args)
    {
        final long deadline = System.currentTimeMillis() + Long.parseLong(args[1]);
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        try (MappedRingMemory memory = MappedRingMemory.open(Paths.get(args[0])))
        {
            final int lease = memory.leases().acquire();
            System.out.println("LEASE " + lease + " " + memory.leases().holder(lease));
            System.out.flush();
            while (System.currentTimeMillis() < deadline && (parent.isEmpty() || parent.get().isAlive()))
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }
}
