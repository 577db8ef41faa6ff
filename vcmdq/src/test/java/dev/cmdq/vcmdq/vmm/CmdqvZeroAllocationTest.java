package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.testkit.AllocationProbe;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Warm loops over the CMDQV allocate nothing, measured with the thread's allocated-bytes counter: a
 * guest driver issuing on its mapped VCMDQ, and a whole error cycle — fault, the host's vEVENT,
 * {@link Vsmmu#pollEvents()} into the emulated maps and interrupt, the guest's trapped map reads, its
 * repair through the mapped page, and the resumed queue.
 */
class CmdqvZeroAllocationTest
{
    private static final int RUNS = 200;
    private final CmdqvRig rig = new CmdqvRig().mapCmdqv(8);

    @AfterEach
    void close()
    {
        rig.close();
    }

    private static long measure(final Runnable loop)
    {
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            bytes = AllocationProbe.bytesOnceWarm(loop, 100, 3);
        }
        return bytes;
    }

    @Test
    void aGuestIssuingOnItsMappedVcmdqAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        rig.guestAllocate(0);
        rig.guestEnable(0);
        final LinuxCmdqIssuer guest = VintfPage0Test.guestIssuer(rig, 0, rig.vsmmu.vcmdqRegisters(0));
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 16));
        commands.putLong(0, 0x12 | (0x5L << 48), ByteOrder.LITTLE_ENDIAN);
        commands.putLong(8, 0x7000_1000L, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(16, 0x40 | (CmdqvRig.VSID << 32), ByteOrder.LITTLE_ENDIAN);
        commands.putLong(24, 0x4003L, ByteOrder.LITTLE_ENDIAN);
        final int[] failures = new int[1];
        final long traps = rig.traps();
        final long bytes = measure(() ->
        {
            for (int i = 0; i < RUNS; i++)
            {
                if (guest.issue(commands, 0, 1 + (i & 1), true) != IssueStatus.OK)
                {
                    failures[0]++;
                }
            }
        });
        guest.close();
        assertEquals(0, bytes, "bytes allocated by warm issue loops");
        assertEquals(0, failures[0]);
        assertEquals(traps, rig.traps(), "no exits");
    }

    @Test
    void aWarmErrorCycleAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        rig.guestAllocate(0);
        rig.guestEnable(0);
        final QueueRegisters q0 = rig.vsmmu.vcmdqRegisters(0);
        final int[] prod = new int[1];
        final int[] failures = new int[1];
        final Runnable cycle = () ->
        {
            for (int i = 0; i < 20; i++)
            {
                rig.put(0, prod[0], 0x10, 0);                                 // forbidden: TLBI_NH_ALL
                rig.put(0, prod[0] + 1, 0x11 | ((long)i << 48), 0);           // then a good one
                prod[0] += 2;
                q0.putProdRelease(prod[0] & 0x1FF);
                rig.run(2);
                if (rig.vsmmu.pollEvents() != 1)
                {
                    failures[0]++;
                }
                if (rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VI_ERR_MAP, 4) != 1 ||
                    rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 8) != 1)
                {
                    failures[0]++;
                }
                final int gerror = q0.getGerrorAcquire();
                rig.put(0, q0.getConsAcquire() & 0xFF, VintfPage0Test.VCMDQ_SYNC_DW0, 0);
                q0.putGerrornRelease(gerror);
                rig.run(2);
                if ((q0.getConsAcquire() & 0x1FF) != (prod[0] & 0x1FF))
                {
                    failures[0]++;
                }
            }
        };
        final long bytes = measure(cycle);
        assertEquals(0, bytes, "bytes allocated by warm error cycles");
        assertEquals(0, failures[0]);
        assertEquals(rig.region.counters().errorReports().get(), rig.pulses, "one interrupt per report");
        assertEquals(0, rig.region.counters().lostEvents().get());
    }
}
