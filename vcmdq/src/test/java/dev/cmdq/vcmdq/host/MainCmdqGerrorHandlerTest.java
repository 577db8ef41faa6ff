package dev.cmdq.vcmdq.host;

import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One VM's entry that iommufd lets through (it checks opcode and SID only, as the kernel does) but the
 * SMMU refuses — a TLBI_NH_VA with the reserved range encoding (TG=4K, NUM=SCALE=TTL=0) — halts the
 * shared main CMDQ; the host's GERROR handler skips it as Linux does, so the call's sync completes and
 * the next VM's invalidation runs as if nothing happened.
 */
class MainCmdqGerrorHandlerTest
{
    private final HwHostRig rig = new HwHostRig();
    private final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(32 + 4 * 16));
    private final IommuHwptInvalidate header = new IommuHwptInvalidate();

    @AfterEach
    void close()
    {
        rig.close();
    }

    private int invalidate(final int viommuId, final int count)
    {
        header.wrap(bytes, 0);
        header.hwptId(viommuId).dataType(1).entryLen(16).entryNum(count).reserved(0);
        return rig.iommufd.invalidate(header, bytes, 32);
    }

    private void entry(final int i, final long dw0, final long dw1)
    {
        bytes.putLong(32 + i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(32 + i * 16 + 8, dw1, ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aRefusedForwardedCommandIsSkippedAndNoOtherVmWaits()
    {
        final Iommufd host = rig.iommufd;
        final int devA = host.bindDevice(0, 0x100);
        final int a = host.allocViommu(ViommuType.ARM_SMMUV3, devA, host.allocNestParent(devA));
        final int devB = host.bindDevice(0, 0x200);
        final int b = host.allocViommu(ViommuType.ARM_SMMUV3, devB, host.allocNestParent(devB));
        final int vmidB = host.viommu(b).vmid();

        // VM A: TLBI_NH_VA (0x12) ASID 1 (dword 0 bits 63:48), dword 1 = ADDR 0x1000 | TG=1 (bits 11:10).
        entry(0, 0x12 | 1L << 48, 0x1000 | 1L << 10);
        assertEquals(0, invalidate(a, 1), "the skipped command's sync completes, as on Linux");
        assertEquals(1, header.entryNum());
        assertEquals(1, host.mainCmdqRepairs(0), "one illegal command skipped");

        // VM B: TLBI_NH_ASID (0x11) ASID 2 — runs, with B's VMID (dword 0 bits 47:32).
        final int before = rig.count;
        entry(0, 0x11 | 2L << 48, 0);
        assertEquals(0, invalidate(b, 1));
        assertEquals(0x11 | 2L << 48 | (long)vmidB << 32, rig.dw0[before], "B's command executed, rewritten with B's VMID");
        assertEquals(1, host.mainCmdqRepairs(0), "nothing else needed repair");
        for (int i = 0; i < rig.count; i++)
        {
            assertEquals(false, rig.opcode(i) == 0x12, "the refused command never executed (entry " + i + ")");
        }
    }
}
