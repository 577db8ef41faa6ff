package dev.cmdq.vcmdq.testbed;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw SMMUv3 commands for tests, typed from the field tables of smmuv3-cmdq.md §2.2 (not from the
 * encoders under test), written little-endian into a reusable buffer as a guest driver's batch.
 */
final class Commands
{
    static final int TLBI_NH_ASID = 0x11;
    static final int TLBI_NH_VA = 0x12;
    static final int CFGI_CD = 0x05;
    static final int CFGI_STE = 0x03;
    static final int ATC_INV = 0x40;
    static final int CMD_SYNC = 0x46;
    /** TLBI_S12_VMALL: stage 2, never accepted from a guest (vSMMU: ILLEGAL; VCMDQ: not allowed). */
    static final int TLBI_S12_VMALL = 0x28;

    final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));
    int count;

    Commands clear()
    {
        count = 0;
        return this;
    }

    Commands put(final long d0, final long d1)
    {
        buffer.putLong(count * 16, d0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(count * 16 + 8, d1, ByteOrder.LITTLE_ENDIAN);
        count++;
        return this;
    }

    /** TLBI_NH_ASID: VMID dw0 47:32, ASID dw0 63:48. */
    static long nhAsid(final int vmid, final int asid)
    {
        return TLBI_NH_ASID | ((long)vmid << 32) | ((long)asid << 48);
    }

    /** TLBI_NH_VA dword 0 (no range: NUM = SCALE = 0): VMID 47:32, ASID 63:48. */
    static long nhVa(final int vmid, final int asid)
    {
        return TLBI_NH_VA | ((long)vmid << 32) | ((long)asid << 48);
    }

    /** TLBI_NH_VA dword 1, TG = 0 (one address): ADDR 63:12, LEAF bit 0. */
    static long nhVaAddress(final long address, final boolean leaf)
    {
        return (address & ~0xFFFL) | (leaf ? 1 : 0);
    }

    /** ATC_INV dword 0: SID 63:32, SSID 31:12, SSV bit 11. */
    static long atcInv(final long sid, final int ssid, final boolean ssv)
    {
        return ATC_INV | (sid << 32) | ((long)ssid << 12) | (ssv ? 1L << 11 : 0);
    }

    /** ATC_INV dword 1: ADDR 63:12, Size 5:0 (2^Size 4 KiB pages; 52 = everything). */
    static long atcInvSpan(final long address, final int size)
    {
        return (address & ~0xFFFL) | size;
    }

    /** CFGI_CD dword 0: SID 63:32, SSID 31:12. */
    static long cfgiCd(final long sid, final int ssid)
    {
        return CFGI_CD | (sid << 32) | ((long)ssid << 12);
    }
}
