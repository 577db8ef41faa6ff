package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trap handler, row by row of its action table, and its forwarding policies, over the real host
 * model. Guest words and the host words expected from them are typed here from the field positions of
 * smmuv3-cmdq.md §2 and the rewriting of vcmdq-viommu.md §3.7 (opcode 7:0, SSec 10, SID 63:32, VMID
 * 47:32, ASID 63:48; host VMID 1, pSID 0x100 for vSID 0x8, pSID 0x200 for vSID 0x9).
 */
class TrapHandlerTest
{
    private static final long GUEST_VMID = 0x77L << 32;
    private static final long HOST_VMID = VmmRig.HOST_VMID << 32;
    private static final long SYNC_SEV = 0x46 | (2L << 12);
    private static final long NH_VA = 0x12 | (0x5L << 48);
    private static final long NH_VA_ADDR = 0x7000_0000L | 1;
    private static final long ATC_INV_V8 = 0x40 | (0x8L << 32);
    private static final long ATC_INV_P100 = 0x40 | (0x100L << 32);
    private static final long ATC_ADDR = 0x4000 | 3;

    private VmmRig rig;

    @AfterEach
    void close()
    {
        rig.close();
    }

    private VmmRig rig(final ForwardingPolicy policy)
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, policy);
        rig.attach(0, 0x100, 0x8);
        rig.attach(0, 0x200, 0x9);
        rig.enable();
        return rig;
    }

    @Test
    void forwardedCommandsArriveRewrittenByTheHostAndTheGuestSyncCompletesLocally()
    {
        rig(ForwardingPolicy.PER_COMMAND);
        rig.put(0, NH_VA | GUEST_VMID, NH_VA_ADDR);
        rig.put(1, ATC_INV_V8, ATC_ADDR);
        rig.put(2, 0x30 | GUEST_VMID, 0xDEAD);                   // TLBI_NSNH_ALL
        rig.put(3, 0x05 | (0x9L << 32) | (0x3L << 12), 1);       // CFGI_CD vsid 9, ssid 3, leaf
        rig.put(4, 0x06 | (0x8L << 32), 0);                      // CFGI_CD_ALL vsid 8
        rig.put(5, 0x10 | GUEST_VMID, 0);                        // TLBI_NH_ALL
        rig.put(6, 0x13 | GUEST_VMID, NH_VA_ADDR);               // TLBI_NH_VAA
        rig.put(7, SYNC_SEV, 0);
        rig.prod(8);
        assertEquals(8, rig.cons());
        assertEquals(0, rig.read(SmmuPage0.GERROR));
        final RecordingMainCmdq host = rig.smmu0;
        assertEquals(14, host.recorded, "7 commands, each followed by the host's sync; the guest sync not forwarded");
        VmmRig.assertWords(host, 0, NH_VA | HOST_VMID, NH_VA_ADDR);
        VmmRig.assertWords(host, 2, ATC_INV_P100, ATC_ADDR);
        VmmRig.assertWords(host, 4, 0x10 | HOST_VMID, 0);
        VmmRig.assertWords(host, 6, 0x05 | (0x200L << 32) | (0x3L << 12), 1);
        VmmRig.assertWords(host, 8, 0x06 | (0x100L << 32), 0);
        VmmRig.assertWords(host, 10, 0x10 | HOST_VMID, 0);
        VmmRig.assertWords(host, 12, 0x13 | HOST_VMID, NH_VA_ADDR);
        for (int i = 1; i < 14; i += 2)
        {
            VmmRig.assertHostSync(host, i);
        }
        assertEquals(7, rig.vsmmu.counters().invalidateCalls().get());
        assertEquals(8, rig.vsmmu.cmdqCounters().commands().get());
        assertEquals(1, rig.vsmmu.cmdqCounters().syncs().get());
        assertEquals(7, rig.meter.count(CostKind.SYSCALL));
    }

    @Test
    void cfgiSteReinstallsTheDevicesSteAsHostCfgiStePlusSync()
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, 0x03 | (0x9L << 32), 1);                      // CFGI_STE vsid 9, leaf
        rig.put(1, 0x03 | (0x55L << 32), 1);                     // no such device: nothing to re-install
        rig.put(2, SYNC_SEV, 0);
        rig.prod(3);
        assertEquals(3, rig.cons());
        assertEquals(2, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 0, 0x03 | (0x200L << 32), 1);
        VmmRig.assertHostSync(rig.smmu0, 1);
        assertEquals(1, rig.vsmmu.counters().steReinstalls().get());
        assertEquals(0, rig.vsmmu.counters().invalidateCalls().get(), "CFGI_STE is never forwarded");
    }

    @Test
    void cfgiSteRangeReinstallsEveryAttachedDeviceInTheAlignedRange()
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, 0x04 | (0x9L << 32), 0);                      // range 0: SIDs 8..9
        rig.put(1, 0x04 | (0x10L << 32), 2);                     // range 2: SIDs 0x10..0x17, none attached
        rig.put(2, 0x04, 31);                                    // CFGI_ALL
        rig.prod(3);
        assertEquals(3, rig.cons());
        assertEquals(8, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 0, 0x03 | (0x100L << 32), 1);
        VmmRig.assertWords(rig.smmu0, 2, 0x03 | (0x200L << 32), 1);
        VmmRig.assertWords(rig.smmu0, 4, 0x03 | (0x100L << 32), 1);
        VmmRig.assertWords(rig.smmu0, 6, 0x03 | (0x200L << 32), 1);
        assertEquals(4, rig.vsmmu.counters().steReinstalls().get());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x18, 0x1A, 0x20, 0x21, 0x22, 0x23, 0x41, 0x44, 0x45})
    void ignoredCommandsAreConsumedWithNoEffect(final int opcode)
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, opcode | (0x8L << 32), 0);
        rig.put(1, SYNC_SEV, 0);
        rig.prod(2);
        assertEquals(2, rig.cons());
        assertEquals(0, rig.read(SmmuPage0.GERROR));
        assertEquals(0, rig.smmu0.recorded);
        assertEquals(0, rig.vsmmu.counters().invalidateCalls().get());
    }

    @ParameterizedTest
    @ValueSource(longs = {
        0x00, 0x07, 0x08, 0x28, 0x2A, 0x42, 0x47, 0xFF,          // unknown, CFGI_VMS_PIDM, stage-2 TLBIs
        0x03 | (1L << 10), 0x04 | (1L << 10), 0x05 | (1L << 10), 0x06 | (1L << 10),   // SSec=1
        0x01 | (1L << 10), 0x44 | (1L << 10)})
    void illegalCommandsStopWithCerrorIllAfterEveryEarlierCommandExecuted(final long dw0)
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, NH_VA | GUEST_VMID, NH_VA_ADDR);
        rig.put(1, dw0 | (0x8L << 32), 0);
        rig.put(2, ATC_INV_V8, ATC_ADDR);
        rig.put(3, SYNC_SEV, 0);
        rig.prod(4);
        assertEquals((1 << 24) | 1, rig.cons(), "CONS on slot 1, ERR = CERROR_ILL");
        assertEquals(1, rig.read(SmmuPage0.GERROR));
        assertEquals(2, rig.smmu0.recorded, "the command before it was executed (flushed first), none after");
        VmmRig.assertWords(rig.smmu0, 0, NH_VA | HOST_VMID, NH_VA_ADDR);
        assertEquals(1, rig.vsmmu.cmdqCounters().errors().get());
        assertEquals(1, rig.vsmmu.cmdqCounters().commands().get());
    }

    @Test
    void perCommandMakesOneCallAndOneHostSyncPerCommand()
    {
        rig(ForwardingPolicy.PER_COMMAND);
        final int n = 10;
        for (int i = 0; i < n; i++)
        {
            rig.put(i, 0x11 | ((long)i << 48), 0);
        }
        rig.put(n, SYNC_SEV, 0);
        rig.prod(n + 1);
        assertEquals(n, rig.vsmmu.counters().invalidateCalls().get());
        assertEquals(2 * n, rig.smmu0.recorded);
        for (int i = 0; i < n; i++)
        {
            VmmRig.assertWords(rig.smmu0, 2 * i, 0x11 | ((long)i << 48) | HOST_VMID, 0);
            VmmRig.assertHostSync(rig.smmu0, 2 * i + 1);
        }
    }

    @Test
    void batchedMakesOneCallPerGuestSyncAndFlushesTheTailAtTheEndOfTheTrap()
    {
        rig(ForwardingPolicy.BATCHED);
        final int n = 10;
        for (int i = 0; i < n; i++)
        {
            rig.put(i, 0x11 | ((long)i << 48), 0);
        }
        rig.put(n, SYNC_SEV, 0);
        rig.put(n + 1, ATC_INV_V8, ATC_ADDR);
        rig.put(n + 2, ATC_INV_V8, ATC_ADDR + 0x1000);
        rig.put(n + 3, SYNC_SEV, 0);
        rig.put(n + 4, NH_VA, NH_VA_ADDR);                       // no sync after it: end of the trap
        rig.prod(n + 5);
        assertEquals(n + 5, rig.cons());
        assertEquals(3, rig.vsmmu.counters().invalidateCalls().get(), "one per guest sync, one for the tail");
        assertEquals(n + 1 + 3 + 2, rig.smmu0.recorded);
        for (int i = 0; i < n; i++)
        {
            VmmRig.assertWords(rig.smmu0, i, 0x11 | ((long)i << 48) | HOST_VMID, 0);
        }
        VmmRig.assertHostSync(rig.smmu0, n);
        VmmRig.assertWords(rig.smmu0, n + 1, ATC_INV_P100, ATC_ADDR);
        VmmRig.assertWords(rig.smmu0, n + 2, ATC_INV_P100, ATC_ADDR + 0x1000);
        VmmRig.assertHostSync(rig.smmu0, n + 3);
        VmmRig.assertWords(rig.smmu0, n + 4, NH_VA | HOST_VMID, NH_VA_ADDR);
        VmmRig.assertHostSync(rig.smmu0, n + 5);
        assertEquals(2, rig.vsmmu.cmdqCounters().syncs().get());
    }

    @Test
    void withOneViommuTlbisAndSidCommandsShareOneBatch()
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, NH_VA | GUEST_VMID, NH_VA_ADDR);
        rig.put(1, ATC_INV_V8, ATC_ADDR);
        rig.put(2, 0x10, 0);
        rig.put(3, SYNC_SEV, 0);
        rig.prod(4);
        assertEquals(1, rig.vsmmu.counters().invalidateCalls().get());
        assertEquals(4, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 1, ATC_INV_P100, ATC_ADDR);
        VmmRig.assertHostSync(rig.smmu0, 3);
    }

    @Test
    void aFullBatchIsSentBeforeTheNextCommandIsGathered()
    {
        rig = new VmmRig(new VsmmuConfig("vsmmu0", TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED,
            VsmmuIdentity.qemuDefault(), 4));
        rig.attach(0, 0x100, 0x8);
        rig.enable();
        for (int i = 0; i < 9; i++)
        {
            rig.put(i, 0x11 | ((long)i << 48), 0);
        }
        rig.put(9, SYNC_SEV, 0);
        rig.prod(10);
        assertEquals(3, rig.vsmmu.counters().invalidateCalls().get(), "4 + 4 + 1");
        assertEquals(9 + 3, rig.smmu0.recorded);
    }

    @ParameterizedTest
    @EnumSource(ForwardingPolicy.class)
    void unknownVsidIsCerrorIllAtThatEntryEarlierExecutedLaterNotAndTheGuestResumesAfterRepair(final ForwardingPolicy policy)
    {
        rig(policy);
        rig.put(0, NH_VA | GUEST_VMID, NH_VA_ADDR);
        rig.put(1, ATC_INV_V8, ATC_ADDR);
        rig.put(2, 0x40 | (0x66L << 32), ATC_ADDR);              // vSID 0x66: no vDEVICE, the host refuses it
        rig.put(3, 0x11 | (0x4L << 48), 0);
        rig.put(4, SYNC_SEV, 0);
        rig.prod(5);
        assertEquals((1 << 24) | 2, rig.cons(), "CONS on slot 2, ERR = CERROR_ILL");
        assertEquals(1, rig.read(SmmuPage0.GERROR));
        final int before = rig.smmu0.recorded;
        final int commandsBefore = countCommands(rig.smmu0);
        assertEquals(2, commandsBefore, "slots 0 and 1 executed, 3 not");
        VmmRig.assertWords(rig.smmu0, 0, NH_VA | HOST_VMID, NH_VA_ADDR);
        assertEquals(ATC_INV_P100, findCommand(rig.smmu0, 1));

        // Linux's repair: replace the offending slot with a CMD_SYNC, then acknowledge.
        rig.put(2, SYNC_SEV, 0);
        rig.acknowledge();
        assertEquals((1 << 24) | 5, rig.cons());
        assertEquals(rig.read(SmmuPage0.GERROR), rig.read(SmmuPage0.GERRORN));
        assertEquals(3, countCommands(rig.smmu0));
        assertEquals(0x11 | (0x4L << 48) | HOST_VMID, findCommand(rig.smmu0, 2));
        assertEquals(true, rig.smmu0.recorded > before);
        assertEquals(1, rig.vsmmu.cmdqCounters().errors().get());
    }

    @Test
    void tlbisBeforeAnyDeviceIsAttachedReachNobodyAndSidCommandsAreIllegal()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        rig.enable();
        rig.put(0, 0x11 | (0x3L << 48), 0);
        rig.put(1, SYNC_SEV, 0);
        rig.put(2, ATC_INV_V8, ATC_ADDR);
        rig.prod(3);
        assertEquals((1 << 24) | 2, rig.cons(), "no vIOMMU yet: the ATC_INV cannot be routed");
        assertEquals(0, rig.vsmmu.counters().invalidateCalls().get());
        assertEquals(0, rig.smmu0.recorded + rig.smmu1.recorded);
    }

    @Test
    void withoutAtsAtcInvIsIgnoredAsQemuIgnoresIt()
    {
        rig = new VmmRig(new VsmmuConfig("vsmmu0", TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED,
            new VsmmuIdentity(19, true, false, 16), 64));
        rig.attach(0, 0x100, 0x8);
        rig.enable();
        rig.put(0, ATC_INV_V8, ATC_ADDR);
        rig.put(1, 0x05 | (0x8L << 32), 0);                      // CFGI_CD still forwarded
        rig.put(2, SYNC_SEV, 0);
        rig.prod(3);
        assertEquals(3, rig.cons());
        assertEquals(2, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 0, 0x05 | (0x100L << 32), 0);
    }

    @Test
    void csIrqSyncCompletesLocallyToo()
    {
        rig(ForwardingPolicy.BATCHED);
        rig.put(0, 0x46 | (1L << 12), 0x1234_5670L);             // CS=IRQ with an MSI address: no MSI here
        rig.prod(1);
        assertEquals(1, rig.cons());
        assertEquals(1, rig.vsmmu.cmdqCounters().syncs().get());
        assertEquals(0, rig.smmu0.recorded);
    }

    /** Host entries that are not the host's own syncs. */
    private static int countCommands(final RecordingMainCmdq host)
    {
        int n = 0;
        for (int i = 0; i < host.recorded; i++)
        {
            if (host.opcode(i) != 0x46)
            {
                n++;
            }
        }
        return n;
    }

    /** dword0 of the k-th host entry that is not a sync. */
    private static long findCommand(final RecordingMainCmdq host, final int k)
    {
        int n = 0;
        for (int i = 0; i < host.recorded; i++)
        {
            if (host.opcode(i) != 0x46 && n++ == k)
            {
                return host.dw0[i];
            }
        }
        throw new AssertionError("fewer than " + (k + 1) + " host commands");
    }
}
