package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The CMDQV register model: sizing (PARAM, partition), register words at their hardware offsets, SID
 * slot publication and lookup (never a half-made or re-programmed pair under a concurrent writer, with
 * a negative control proving the checker sees a non-atomic publication), argument errors.
 */
class CmdqvTest
{
    @Test
    void paramAndPartitionFollowTheConfiguredSizes()
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 4))
        {
            assertEquals(4, cmdqv.numVintfs());
            assertEquals(16, cmdqv.numVcmdqs());
            assertEquals(4, cmdqv.lvcmdqsPerVintf());
            // VER=1 bits 3:0, log2 VCMDQs 7:4, log2 VINTFs 11:8, log2 SID slots 15:12 (§1.3).
            assertEquals(0x4241, cmdqv.param());
            assertEquals(4 * 2 + 3, cmdqv.globalIndex(2, 3));
            assertThrows(IllegalArgumentException.class, () -> cmdqv.globalIndex(2, 4));
            assertThrows(IllegalArgumentException.class, () -> cmdqv.globalIndex(4, 0));
        }
    }

    @Test
    void registersSitAtTheirHardwareOffsets()
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 3))
        {
            final AtomicBuffer page = cmdqv.page();
            cmdqv.writeConfig(1);
            assertEquals(1, page.getInt(0x000));
            assertEquals(1, page.getInt(0x008), "STATUS.ENABLED follows CMDQV_EN");
            cmdqv.writeCmdqAlloc(5, CmdqvLayout.cmdqAlloc(2, 1, true));
            assertEquals((2 << 15) | (1 << 1) | 1, page.getInt(0x200 + 4 * 5));
            cmdqv.writeVintfConfig(3, CmdqvLayout.vintfConfig(0x1234, false, true));
            assertEquals((0x1234 << 1) | 1, page.getInt(0x1000 + 0x300));
            assertEquals(1 | (2 << 16), page.getInt(0x1000 + 0x300 + 4), "ENABLED and 2 LVCMDQs");
            cmdqv.programSidSlot(3, 7, 0x21, 0x4321);
            assertEquals((0x21 << 1) | 1, page.getInt(0x1300 + 0x40 + 4 * 7));
            assertEquals(0x4321, page.getInt(0x1300 + 0x80 + 4 * 7));
            cmdqv.clearSidSlot(3, 7);
            assertEquals(0, page.getInt(0x1300 + 0x40 + 4 * 7));
            assertEquals(0, page.getInt(0x1300 + 0x80 + 4 * 7));
        }
    }

    @Test
    void errorMapsSetAndClearPerQueueAndVintf()
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 7))
        {
            cmdqv.markError(100, 3, 4);
            cmdqv.markError(101, 3, 5);
            assertEquals(1 << (100 - 96), cmdqv.cmdqErrMap(3) & (1 << 4));
            assertEquals((1 << 4) | (1 << 5), cmdqv.lvcmdqErrMap(3, 0));
            assertEquals(1 << 3, cmdqv.viErrMap(0));
            cmdqv.clearError(100, 3, 4);
            assertEquals(1 << 3, cmdqv.viErrMap(0), "VINTF 3 still has queue 5 in error");
            cmdqv.clearError(101, 3, 5);
            assertEquals(0, cmdqv.viErrMap(0));
            assertEquals(0, cmdqv.cmdqErrMap(3));
        }
    }

    @Test
    void lookupFindsOnlyEnabledSlotsOfItsOwnVintf()
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 3))
        {
            cmdqv.programSidSlot(1, 15, 0xF_FFFF, 0xE_EEEE);
            cmdqv.programSidSlot(2, 0, 0x5, 0x6);
            assertEquals(0xE_EEEE, cmdqv.lookupSid(1, 0xF_FFFF));
            assertEquals(Cmdqv.NO_MATCH, cmdqv.lookupSid(1, 0x5));
            assertEquals(0x6, cmdqv.lookupSid(2, 0x5));
            assertEquals(Cmdqv.NO_MATCH, cmdqv.lookupSid(2, 0x10_0005), "bits above 20 never match");
            // A slot whose SID_MATCH lacks ENABLE is not matched even with the right vSID.
            cmdqv.page().putLongRelease(cmdqv.latch(2, 1), (0x8L << 32) | (0x7 << 1));
            assertEquals(Cmdqv.NO_MATCH, cmdqv.lookupSid(2, 0x7));
        }
    }

    @Test
    void programmingRefusesBadFieldsAndABusySlot()
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 3))
        {
            cmdqv.programSidSlot(1, 0, 1, 2);
            final IllegalStateException busy = assertThrows(IllegalStateException.class, () -> cmdqv.programSidSlot(1, 0, 3, 4));
            assertTrue(busy.getMessage().contains("slot 0"), busy.getMessage());
            final IllegalArgumentException vsid = assertThrows(IllegalArgumentException.class,
                () -> cmdqv.programSidSlot(1, 1, 0x10_0000, 4));
            assertTrue(vsid.getMessage().contains("vsid=0x100000"), vsid.getMessage());
            final IllegalArgumentException psid = assertThrows(IllegalArgumentException.class,
                () -> cmdqv.programSidSlot(1, 1, 3, 0x10_0000));
            assertTrue(psid.getMessage().contains("psid=0x100000"), psid.getMessage());
            final IllegalArgumentException slot = assertThrows(IllegalArgumentException.class,
                () -> cmdqv.programSidSlot(1, 16, 3, 4));
            assertTrue(slot.getMessage().contains("slot=16"), slot.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cmdqv.programSidSlot(4, 0, 3, 4));
            assertThrows(IllegalArgumentException.class, () -> new Cmdqv(3, 2));
            assertThrows(IllegalArgumentException.class, () -> new Cmdqv(7, 7));
            assertThrows(IllegalArgumentException.class, () -> cmdqv.vcmdq(8));
        }
    }

    /** How the writer publishes a slot: the model's protocol or a deliberately wrong order. */
    private interface SlotWriter
    {
        void program(Cmdqv cmdqv, int slot, int vsid, int psid);

        void clear(Cmdqv cmdqv, int slot);
    }

    private static final SlotWriter MODEL = new SlotWriter()
    {
        @Override
        public void program(final Cmdqv cmdqv, final int slot, final int vsid, final int psid)
        {
            cmdqv.programSidSlot(1, slot, vsid, psid);
        }

        @Override
        public void clear(final Cmdqv cmdqv, final int slot)
        {
            cmdqv.clearSidSlot(1, slot);
        }
    };

    /** The slot latch written as two 32-bit halves, SID_MATCH's first: half-made slots exist. */
    private static final SlotWriter WRONG_ORDER = new SlotWriter()
    {
        @Override
        public void program(final Cmdqv cmdqv, final int slot, final int vsid, final int psid)
        {
            final int latch = cmdqv.latch(1, slot);
            cmdqv.page().putIntRelease(latch, CmdqvLayout.sidMatch(vsid));
            LockSupport.parkNanos(20_000);
            cmdqv.page().putIntRelease(latch + 4, psid);
        }

        @Override
        public void clear(final Cmdqv cmdqv, final int slot)
        {
            final int latch = cmdqv.latch(1, slot);
            cmdqv.page().putIntRelease(latch + 4, 0);
            cmdqv.page().putIntRelease(latch, 0);
        }
    };

    /**
     * A writer re-programs random slots with random vSIDs 0..31; every pSID it installs carries its vSID
     * in bits 7:0 (and a serial above). A reader looking up random vSIDs must never get a pSID whose low
     * bits name another vSID, or 0 (a cleared or not yet written SID_REPLACE).
     *
     * @return {wrong pairs seen, matches seen, changes made}.
     */
    private static long[] hotPlug(final SlotWriter writer, final int lookups, final long seed) throws InterruptedException
    {
        try (Cmdqv cmdqv = new Cmdqv(2, 3))
        {
            final AtomicBoolean done = new AtomicBoolean();
            final long[] changes = new long[1];
            final Thread thread = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                final int[] slotVsid = new int[CmdqvLayout.SID_SLOTS];
                java.util.Arrays.fill(slotVsid, -1);
                int serial = 1;
                while (!done.get())
                {
                    final int slot = random.nextInt(CmdqvLayout.SID_SLOTS);
                    if (slotVsid[slot] >= 0)
                    {
                        writer.clear(cmdqv, slot);
                        slotVsid[slot] = -1;
                    }
                    else
                    {
                        final int vsid = random.nextInt(32);
                        writer.program(cmdqv, slot, vsid, ((serial++ % 0xFFF + 1) << 8) | vsid);
                        slotVsid[slot] = vsid;
                    }
                    changes[0]++;
                    if ((changes[0] & 7) == 0)
                    {
                        Thread.yield();
                    }
                }
            }, "sid-slot-writer");
            thread.start();
            final SplittableRandom random = new SplittableRandom(seed + 1);
            long wrong = 0;
            long matches = 0;
            for (int i = 0; i < lookups; i++)
            {
                final int vsid = random.nextInt(32);
                final long psid = cmdqv.lookupSid(1, vsid);
                if (psid != Cmdqv.NO_MATCH)
                {
                    matches++;
                    if ((psid & 0xFF) != vsid || (psid >>> 8) == 0)
                    {
                        wrong++;
                    }
                }
                if ((i & 255) == 255)
                {
                    Thread.yield();
                }
            }
            done.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!thread.isAlive(), "writer stopped");
            return new long[] {wrong, matches, changes[0]};
        }
    }

    @Test
    @Tag("stress")
    void aConcurrentlyReprogrammedSlotIsNeverMatchedHalfMade() throws InterruptedException
    {
        final int lookups = Integer.getInteger("cmdq.stress.ops", 1_000_000);
        final long[] outcome = hotPlug(MODEL, lookups, Long.getLong("cmdq.stress.seed", 20261123L));
        assertEquals(0, outcome[0], "wrong pairs among " + outcome[1] + " matches, " + outcome[2] + " changes");
        assertTrue(outcome[1] > 100, "the reader must have matched: " + outcome[1]);
        assertTrue(outcome[2] > 100, "the writer must have changed slots: " + outcome[2]);
    }

    @Test
    @Tag("stress")
    void theCheckerSeesAWrongPublicationOrder() throws InterruptedException
    {
        final long[] outcome = hotPlug(WRONG_ORDER, 200_000, 20261123L);
        assertTrue(outcome[0] > 0, "half-made slots must be seen: " + outcome[1] + " matches, " + outcome[2] + " changes");
    }
}
