package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Register semantics of the SMMU pages (smmuv3-cmdq.md §1.3–§1.5, §5.1), observed only through MMIO
 * and the host side. Expected values are typed from the doc's offsets and fields.
 */
class SmmuRegisterPageTest
{
    private static final long TLBI_NH_ASID_GUEST = 0x11 | (0x2L << 48) | (0x77L << 32);
    private static final long TLBI_NH_ASID_HOST = 0x11 | (0x2L << 48) | (VmmRig.HOST_VMID << 32);
    private static final long PREFETCH_CFG = 0x01 | (0x8L << 32);
    private static final long UNKNOWN = 0xFF;

    private VmmRig rig;

    @AfterEach
    void close()
    {
        rig.close();
    }

    private VmmRig rig(final VsmmuIdentity identity)
    {
        rig = new VmmRig(new VsmmuConfig("vsmmu0", TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.PER_COMMAND, identity, 64));
        rig.attach(0, 0x100, 0x8);
        return rig;
    }

    @Test
    void idRegistersAdvertiseCmdqsRilAtsAndNeverMsiOrSev()
    {
        rig(new VsmmuIdentity(19, true, true, 16));
        assertEquals((1 << 12) | (1 << 10) | (2 << 2) | (1 << 1), rig.read(0x0),
            "IDR0: ASID16 | ATS | TTF AArch64 | S1P; no MSI (13), no SEV (14), no S2P (0)");
        assertEquals((19 << 21) | 16, rig.read(0x4), "IDR1: CMDQS=19, SIDSIZE=16");
        assertEquals(1 << 10, rig.read(0xC), "IDR3: RIL");
        rig.close();
        rig(new VsmmuIdentity(10, false, false, 32));
        assertEquals((1 << 12) | (2 << 2) | (1 << 1), rig.read(0x0));
        assertEquals((10 << 21) | 32, rig.read(0x4));
        assertEquals(0, rig.read(0xC), "IDR3 without RIL");
    }

    @Test
    void idRegistersAreReadOnlyAndPageOneAliasesPageZero()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.write(0x4, 0);
        assertEquals((19 << 21) | 16, rig.read(0x4), "IDR1 ignores writes");
        assertEquals((19 << 21) | 16, rig.read(0x10004), "page 1 IDR1");
        assertEquals(1, rig.vsmmu.counters().ignoredAccesses().get());
    }

    @Test
    void cmdqBaseIsSixtyFourBitOrTwoHalvesWithUndefinedBitsDropped()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.vsmmu.mmioWrite(0x90, 0xFFFF_FFFF_FFFF_FFFFL, 8);
        assertEquals(0x400F_FFFF_FFFF_FFFFL, rig.vsmmu.mmioRead(0x90, 8), "RA 62, ADDR 51:5, LOG2SIZE 4:0");
        rig.write(0x90, 0x1234_5680 | 7);
        rig.write(0x94, 0x0000_0009);
        assertEquals(0x0000_0009_1234_5687L, rig.vsmmu.mmioRead(0x90, 8));
        assertEquals(0x1234_5687, rig.read(0x90));
        assertEquals(0x9, rig.read(0x94));
    }

    @Test
    void log2SizeIsClampedToIdr1Cmdqs()
    {
        // CMDQS = 8 but the guest programs LOG2SIZE = 12. CONS = 0xFF, PROD = 0x101: with L = 8 that is
        // slots 255 and 0 (wrap flipped); with L = 12 it would be slots 255 and 256.
        rig(new VsmmuIdentity(8, true, true, 16));
        rig.vsmmu.mmioWrite(0x90, VmmRig.RING_GPA | 12, 8);
        rig.put(255, TLBI_NH_ASID_GUEST, 0);
        rig.put(0, TLBI_NH_ASID_GUEST | (0x3L << 48), 0);
        rig.put(256, UNKNOWN, 0);
        rig.write(0x9C, 0xFF);
        rig.write(0x98, 0x101);
        rig.write(0x20, SmmuPage0.CR0_CMDQEN);
        assertEquals(0x101, rig.cons(), "both consumed, no error");
        assertEquals(0, rig.read(0x60), "GERROR");
        VmmRig.assertWords(rig.smmu0, 0, TLBI_NH_ASID_HOST, 0);
        VmmRig.assertWords(rig.smmu0, 2, (TLBI_NH_ASID_HOST & ~(0xFFFFL << 48)) | (0x3L << 48), 0);
        assertEquals(4, rig.smmu0.recorded);
    }

    @Test
    void commandsWaitForCmdqenAndTheCr0WriteRunsTheHandlerWithCr0ackFollowing()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.vsmmu.mmioWrite(0x90, VmmRig.RING_GPA | VmmRig.LOG2, 8);
        rig.put(0, TLBI_NH_ASID_GUEST, 0);
        rig.write(0x98, 1);
        assertEquals(0, rig.cons(), "CMDQEN clear: nothing consumed");
        assertEquals(0, rig.smmu0.recorded);
        rig.write(0x20, 0x8000_0000 | SmmuPage0.CR0_CMDQEN | 1);
        assertEquals(0x8000_0009, rig.read(0x20), "CR0 reads back as written");
        assertEquals(0x9, rig.read(0x24), "CR0ACK: defined bits SMMUEN | CMDQEN");
        assertEquals(1, rig.cons(), "the CR0 write consumed the queue");
        assertEquals(2, rig.smmu0.recorded, "command + host sync");
        rig.write(0x20, 0);
        assertEquals(0, rig.read(0x24));
        rig.put(1, TLBI_NH_ASID_GUEST, 0);
        rig.write(0x98, 2);
        assertEquals(1, rig.cons(), "disabled again");
    }

    @Test
    void prodAndConsReadBackAndAConsWriteOnlyStores()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.enable();
        rig.put(5, PREFETCH_CFG, 0);
        rig.put(6, PREFETCH_CFG, 0);
        rig.write(0x9C, 5);
        assertEquals(5, rig.cons());
        rig.write(0x98, 7);
        assertEquals(7, rig.read(0x98));
        assertEquals(7, rig.cons(), "two ignored commands consumed");
        assertEquals(0, rig.smmu0.recorded, "PREFETCH reaches nobody");
    }

    @Test
    void gerrorToggleProtocolStopsUntilGerrornAcknowledges()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.enable();
        rig.put(0, UNKNOWN, 0);
        rig.put(1, TLBI_NH_ASID_GUEST, 0);
        rig.prod(2);
        assertEquals((1 << 24) | 0, rig.cons(), "CONS on slot 0, ERR = CERROR_ILL");
        assertEquals(1, rig.read(0x60), "GERROR.CMDQ_ERR toggled");
        assertEquals(0, rig.read(0x64));
        rig.write(0x60, 0);
        assertEquals(1, rig.read(0x60), "GERROR is read-only to software");
        rig.prod(2);
        assertEquals(0, rig.smmu0.recorded, "stopped while CMDQ_ERR is active");

        rig.put(0, UNKNOWN, 0);
        rig.acknowledge();
        assertEquals(1, rig.read(0x64));
        assertEquals((1 << 24) | 0, rig.cons(), "retried on the acknowledge, same slot fails again");
        assertEquals(0, rig.read(0x60), "flipped back: active again because GERRORN is 1");

        rig.put(0, 0x46 | (2 << 12), 0);
        rig.acknowledge();
        assertEquals((1 << 24) | 2, rig.cons(), "repaired slot consumed, ERR bits kept as QEMU keeps them");
        assertEquals(rig.read(0x60), rig.read(0x64), "no error active");
        VmmRig.assertWords(rig.smmu0, 0, TLBI_NH_ASID_HOST, 0);
    }

    @Test
    void unknownOffsetsAndWidthsReadZeroIgnoreWritesAndAreCounted()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.enable();
        final long before = rig.vsmmu.counters().ignoredAccesses().get();
        assertEquals(0, rig.vsmmu.mmioRead(0x1234, 4));
        rig.vsmmu.mmioWrite(0x1234, 5, 4);
        assertEquals(0, rig.vsmmu.mmioRead(0x20, 8), "8-byte access to a 32-bit register");
        rig.vsmmu.mmioWrite(0x98, 1, 2);
        assertEquals(0, rig.read(0x98), "a 2-byte write to PROD is ignored");
        assertEquals(0, rig.vsmmu.mmioRead(0x20, 1));
        assertEquals(0, rig.vsmmu.mmioRead(0x10_0000, 4), "outside every region");
        rig.vsmmu.mmioWrite(-4, 1, 4);
        assertEquals(7, rig.vsmmu.counters().ignoredAccesses().get() - before);
    }

    @Test
    void aRingOutsideGuestMemoryAbortsWithoutCrashingAndResumesOnceRepaired()
    {
        rig(VsmmuIdentity.qemuDefault());
        rig.enable();
        rig.vsmmu.mmioWrite(0x90, 0x1000 | VmmRig.LOG2, 8);
        rig.put(0, TLBI_NH_ASID_GUEST, 0);
        rig.prod(1);
        assertEquals(2 << 24, rig.cons(), "CERROR_ABT at slot 0");
        assertEquals(1, rig.read(0x60));
        assertEquals(0, rig.smmu0.recorded);
        rig.vsmmu.mmioWrite(0x90, VmmRig.RING_GPA | VmmRig.LOG2, 8);
        rig.acknowledge();
        assertEquals((2 << 24) | 1, rig.cons(), "fetched after the base was fixed");
        assertEquals(2, rig.smmu0.recorded);
    }
}
