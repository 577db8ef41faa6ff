package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.AllocationProbe;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * invalidate() against a recording device on the main CMDQ, for every HostCmdq strategy and both
 * completion waits. Expected words are written here from vcmdq-viommu.md §2/§3.7 field positions
 * (opcode 7:0, VMID 47:32, ASID 63:48, SID 63:32, SSID 31:12, SSV 11, NUM 16:12), never by the code
 * under test.
 */
class ViommuInvalidatorTest
{
    private static final int SMMU = 3;
    private static final long SYNC = 0x46;

    private final List<MainCmdqRig> rigs = new ArrayList<>();
    private final SidTable sids = new SidTable(4);
    private final VmidAllocator vmids = new VmidAllocator(16);
    private final UnsafeBuffer entries = new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * 16));

    static List<Arguments> strategies()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final HostCmdqStrategy s : HostCmdqStrategy.values())
        {
            for (final CompletionWait w : CompletionWait.values())
            {
                all.add(Arguments.of(s, w));
            }
        }
        return all;
    }

    @AfterEach
    void closeRigs()
    {
        rigs.forEach(MainCmdqRig::close);
    }

    private MainCmdqRig rig(final HostCmdqStrategy strategy, final CompletionWait wait, final long timeoutNs)
    {
        final MainCmdqRig rig = new MainCmdqRig(SMMU, strategy, wait, timeoutNs);
        rigs.add(rig);
        return rig;
    }

    private Viommu viommu(final int id)
    {
        // PER_VIOMMU so two vIOMMUs get different VMIDs.
        final NestParentDomain s2 = new NestParentDomain(1, SMMU, 1);
        return Viommu.allocate(id, ViommuType.ARM_SMMUV3, SMMU, s2, VmidPolicy.PER_VIOMMU, vmids, sids, 0);
    }

    private void entry(final int i, final long dw0, final long dw1)
    {
        entries.putLong(i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        entries.putLong(i * 16 + 8, dw1, ByteOrder.LITTLE_ENDIAN);
    }

    private static void assertWords(final MainCmdqRig rig, final int i, final long dw0, final long dw1)
    {
        assertEquals(Long.toHexString(dw0), Long.toHexString(rig.dw0[i]), "dword0 of executed entry " + i);
        assertEquals(Long.toHexString(dw1), Long.toHexString(rig.dw1[i]), "dword1 of executed entry " + i);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void rewritesEachAcceptedOpcodeExactly(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final MainCmdqRig rig = rig(strategy, wait, WaitPolicy.DEFAULT_TIMEOUT_NS);
        final Viommu v = viommu(10);
        final long vmid = v.vmid();
        v.addVdevice(20, new HostDevice(100, SMMU, 0xABC0_0001L), 0x8);
        final long guestVmid = 0x7777L << 32;
        final long va = 0x0000_FFFF_1234_5000L;
        entry(0, 0x30 | guestVmid | (0x55L << 48), 0xDEAD_BEEF_0000_0001L);          // TLBI_NSNH_ALL
        entry(1, 0x10 | guestVmid, 0);                                                // TLBI_NH_ALL
        entry(2, 0x11 | guestVmid | (0x1234L << 48), 0);                              // TLBI_NH_ASID
        entry(3, 0x12 | (3L << 12) | guestVmid | (0x1234L << 48), va | 1);            // TLBI_NH_VA, NUM 3, LEAF
        entry(4, 0x13 | guestVmid, va);                                               // TLBI_NH_VAA
        entry(5, 0x40 | (1L << 11) | (0x5L << 12) | (0x8L << 32), 0x4000_0000L | 12); // ATC_INV SSV SSID 5, SIZE 12
        entry(6, 0x05 | (0x9L << 12) | (0x8L << 32), 1);                              // CFGI_CD SSID 9, LEAF
        entry(7, 0x06 | (0x8L << 32), 0);                                             // CFGI_CD_ALL

        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        assertEquals(InvalidateStatus.OK, invalidator.invalidate(v, entries, 0, 8));
        assertEquals(8, invalidator.handled());
        assertEquals(-1, invalidator.failedIndex());

        assertEquals(9, rig.recorded);
        assertWords(rig, 0, 0x10 | (vmid << 32), 0);
        assertWords(rig, 1, 0x10 | (vmid << 32), 0);
        assertWords(rig, 2, 0x11 | (vmid << 32) | (0x1234L << 48), 0);
        assertWords(rig, 3, 0x12 | (3L << 12) | (vmid << 32) | (0x1234L << 48), va | 1);
        assertWords(rig, 4, 0x13 | (vmid << 32), va);
        assertWords(rig, 5, 0x40 | (1L << 11) | (0x5L << 12) | (0xABC0_0001L << 32), 0x4000_0000L | 12);
        assertWords(rig, 6, 0x05 | (0x9L << 12) | (0xABC0_0001L << 32), 1);
        assertWords(rig, 7, 0x06 | (0xABC0_0001L << 32), 0);
        assertEquals(SYNC, rig.opcode(8), "the chunk ends with a CMD_SYNC");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void chunksOfSixtyThreeEachFollowedBySync(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final MainCmdqRig rig = rig(strategy, wait, WaitPolicy.DEFAULT_TIMEOUT_NS);
        final Viommu v = viommu(10);
        for (int i = 0; i < 130; i++)
        {
            entry(i, 0x12 | ((long)i << 48), (long)i << 12);
        }
        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        assertEquals(InvalidateStatus.OK, invalidator.invalidate(v, entries, 0, 130));
        assertEquals(130, invalidator.handled());
        // 63 + sync, 63 + sync, 4 + sync, each command in order with its own ASID.
        assertEquals(133, rig.recorded);
        int at = 0;
        int command = 0;
        for (final int size : new int[] {63, 63, 4})
        {
            for (int k = 0; k < size; k++, at++, command++)
            {
                assertWords(rig, at, 0x12 | ((long)v.vmid() << 32) | ((long)command << 48), (long)command << 12);
            }
            assertEquals(SYNC, rig.opcode(at++), "sync after a chunk of " + size);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void stopsAtABadOpcodeAfterExecutingEverythingItCounts(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final MainCmdqRig rig = rig(strategy, wait, WaitPolicy.DEFAULT_TIMEOUT_NS);
        final Viommu v = viommu(10);
        for (int i = 0; i < 100; i++)
        {
            entry(i, 0x11 | ((long)i << 48), 0);
        }
        entry(70, 0x03 | (0x8L << 32), 0); // CFGI_STE: not accepted
        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        assertEquals(InvalidateStatus.REJECTED_OPCODE, invalidator.invalidate(v, entries, 0, 100));
        assertEquals(70, invalidator.handled());
        assertEquals(70, invalidator.failedIndex());
        // 63 + sync, then the partial chunk of 7 is really executed (+ sync): nothing at or after 70.
        assertEquals(72, rig.recorded);
        assertEquals(SYNC, rig.opcode(63));
        assertWords(rig, 70, 0x11 | ((long)v.vmid() << 32) | (69L << 48), 0);
        assertEquals(SYNC, rig.opcode(71));
        int commands = 0;
        for (int i = 0; i < rig.recorded; i++)
        {
            commands += rig.opcode(i) == 0x11 ? 1 : 0;
        }
        assertEquals(invalidator.handled(), commands, "every counted entry was executed, and no other");
        for (final long bad : new long[] {0x46, 0x03, 0x04, 0x01, 0x20, 0x28, 0xFF})
        {
            entry(0, bad, 0);
            assertEquals(InvalidateStatus.REJECTED_OPCODE, invalidator.invalidate(v, entries, 0, 1), "opcode " + bad);
            assertEquals(0, invalidator.handled());
        }
        assertEquals(72, rig.recorded, "a lone rejected entry submits nothing");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void translatesOnlyThroughTheCallersViommu(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final MainCmdqRig rig = rig(strategy, wait, WaitPolicy.DEFAULT_TIMEOUT_NS);
        final Viommu a = viommu(10);
        final Viommu b = viommu(11);
        a.addVdevice(20, new HostDevice(100, SMMU, 0x100), 0x8);
        b.addVdevice(21, new HostDevice(101, SMMU, 0x200), 0x8);
        b.addVdevice(22, new HostDevice(102, SMMU, 0x300), 0x9);
        entry(0, 0x40 | (0x8L << 32), 0);
        entry(1, 0x40 | (0x9L << 32), 0); // vSID 9 exists only in b
        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        assertEquals(InvalidateStatus.UNKNOWN_SID, invalidator.invalidate(a, entries, 0, 2));
        assertEquals(1, invalidator.handled());
        assertEquals(2, rig.recorded);
        assertWords(rig, 0, 0x40 | (0x100L << 32), 0);
        assertEquals(InvalidateStatus.OK, invalidator.invalidate(b, entries, 0, 2));
        assertWords(rig, 2, 0x40 | (0x200L << 32), 0);
        assertWords(rig, 3, 0x40 | (0x300L << 32), 0);
        assertNotEquals(a.vmid(), b.vmid());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void aFailedChunkIsNotCounted(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final MainCmdqRig rig = rig(strategy, wait, TimeUnit.MILLISECONDS.toNanos(50));
        final Viommu v = viommu(10);
        for (int i = 0; i < 100; i++)
        {
            entry(i, 0x12, 0);
        }
        rig.failAt = 64 + 10; // first chunk and its sync run; the device halts inside the second chunk
        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        assertEquals(InvalidateStatus.SUBMIT_FAILED, invalidator.invalidate(v, entries, 0, 100));
        assertEquals(63, invalidator.handled());
        assertEquals(99, invalidator.failedIndex(), "the failed chunk's last entry, as the kernel reports it");
        assertNotEquals(IssueStatus.OK, invalidator.issueStatus());
        assertEquals(74, rig.recorded);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategies")
    void warmInvalidateAllocatesNothing(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        assertTrue(AllocationProbe.isSupported());
        final MainCmdqRig rig = rig(strategy, wait, WaitPolicy.DEFAULT_TIMEOUT_NS);
        rig.record = false;
        final Viommu v = viommu(10);
        v.addVdevice(20, new HostDevice(100, SMMU, 0x100), 0x8);
        for (int i = 0; i < 200; i++)
        {
            entry(i, (i & 1) == 0 ? 0x12 : 0x40 | (0x8L << 32), 0);
        }
        final ViommuInvalidator invalidator = new ViommuInvalidator(rig.queue);
        final int[] failures = new int[1];
        final Runnable loop = () ->
        {
            for (int call = 0; call < 200; call++)
            {
                if (invalidator.invalidate(v, entries, 0, 1 + call % 200) != InvalidateStatus.OK)
                {
                    failures[0]++;
                }
            }
        };
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            bytes = AllocationProbe.bytesOnceWarm(loop, 100, 3);
        }
        assertEquals(0, bytes);
        assertEquals(0, failures[0]);
        assertTrue(rig.executed > 0);
    }
}
