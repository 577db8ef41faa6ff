package dev.cmdq.smmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CompletionEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link CmdSyncCompletion} as queue-core's {@link CompletionEntry}. Expected words are the Linux
 * CMD_SYNC words of smmuv3-cmd-vectors.csv (CS=IRQ 0x0fc01046, SEV 0x0fc02046, NONE 0x0fc00046).
 */
class CmdSyncCompletionTest
{
    private static final long SYNC_IRQ = 0x000000000fc01046L;
    private static final long SYNC_SEV = 0x000000000fc02046L;
    private static final long SYNC_NONE = 0x000000000fc00046L;

    private final UnsafeBuffer ring = new UnsafeBuffer(new byte[64]);

    @Test
    void writeBackIsLinuxsMsiPollingSyncOverTheWholeSlot()
    {
        final CompletionEntry entry = CmdSyncCompletion.LINUX;
        CommandWords.put(ring, 32, -1L, -1L);
        entry.write(ring, 32, 0x8040001230L);
        assertEquals(SYNC_IRQ, CommandWords.dword0(ring, 32));
        assertEquals(0x8040001230L, CommandWords.dword1(ring, 32));
        assertTrue(entry.isCompletion(ring, 32));
        assertEquals(0x8040001230L, entry.writeBackAddress(ring, 32));
        assertEquals(0, entry.writeBackValue(ring, 32));
    }

    @Test
    void noWriteBackIsLinuxsConsPollingSyncAndBusyPollIsCsNone()
    {
        CommandWords.put(ring, 0, -1L, -1L);
        CmdSyncCompletion.LINUX.write(ring, 0, CompletionEntry.NO_WRITE_BACK);
        assertEquals(SYNC_SEV, CommandWords.dword0(ring, 0));
        assertEquals(0, CommandWords.dword1(ring, 0));
        assertEquals(CompletionEntry.NO_WRITE_BACK, CmdSyncCompletion.LINUX.writeBackAddress(ring, 0));

        CommandWords.put(ring, 16, -1L, -1L);
        CmdSyncCompletion.BUSY_POLL.write(ring, 16, CompletionEntry.NO_WRITE_BACK);
        assertEquals(SYNC_NONE, CommandWords.dword0(ring, 16));
        assertEquals(0, CommandWords.dword1(ring, 16));
        assertEquals(CompletionEntry.NO_WRITE_BACK, CmdSyncCompletion.BUSY_POLL.writeBackAddress(ring, 16));
    }

    @Test
    void recognisesOnlyCmdSyncAndReadsAnyonesWriteBack()
    {
        CommandWords.put(ring, 0, 0x0004000000500012L, 0x00007f0000002701L);
        assertFalse(CmdSyncCompletion.LINUX.isCompletion(ring, 0));
        // A sync built elsewhere with MSIDATA 0x1234 (dword 0 bits 63:32).
        CommandWords.put(ring, 0, SYNC_IRQ | 0x1234L << 32, 0x1000L);
        assertEquals(0x1234, CmdSyncCompletion.BUSY_POLL.writeBackValue(ring, 0));
        assertEquals(0x1000L, CmdSyncCompletion.BUSY_POLL.writeBackAddress(ring, 0));
        // CS=IRQ with MSIADDR 0 (Linux's raw-address quirk) writes no memory.
        CommandWords.put(ring, 0, SYNC_IRQ, 0);
        assertEquals(CompletionEntry.NO_WRITE_BACK, CmdSyncCompletion.LINUX.writeBackAddress(ring, 0));
    }

    @Test
    void refusesWriteBacksItCannotHonour()
    {
        CommandWords.put(ring, 0, 7, 7);
        assertThrows(IllegalArgumentException.class, () -> CmdSyncCompletion.LINUX.write(ring, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CmdSyncCompletion.LINUX.write(ring, 0, 0x1002L));
        assertThrows(IllegalArgumentException.class, () -> CmdSyncCompletion.LINUX.write(ring, 0, 1L << 52));
        assertThrows(IllegalArgumentException.class, () -> CmdSyncCompletion.BUSY_POLL.write(ring, 0, 0x1000L));
        assertEquals(7, CommandWords.dword0(ring, 0), "a refused write leaves the slot alone");
    }
}
