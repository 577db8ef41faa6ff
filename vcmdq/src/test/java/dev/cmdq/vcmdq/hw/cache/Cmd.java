package dev.cmdq.vcmdq.hw.cache;

/**
 * Test commands built from raw bit positions typed from smmuv3-cmdq.md §2.2 — deliberately not with the
 * smmu-commands encoders, so the tests also check that the cache model reads the fields where the
 * document says they are.
 *
 * @param dword0 dword 0.
 * @param dword1 dword 1.
 * @param text   what the command is, for test names.
 */
record Cmd(long dword0, long dword1, String text)
{
    static final int PREFETCH_CFG = 0x01;
    static final int PREFETCH_ADDR = 0x02;
    static final int CFGI_STE = 0x03;
    static final int CFGI_STE_RANGE = 0x04;
    static final int CFGI_CD = 0x05;
    static final int CFGI_CD_ALL = 0x06;
    static final int CFGI_VMS_PIDM = 0x07;
    static final int TLBI_NH_ALL = 0x10;
    static final int TLBI_NH_ASID = 0x11;
    static final int TLBI_NH_VA = 0x12;
    static final int TLBI_NH_VAA = 0x13;
    static final int TLBI_EL3_ALL = 0x18;
    static final int TLBI_EL3_VA = 0x1A;
    static final int TLBI_EL2_ALL = 0x20;
    static final int TLBI_EL2_ASID = 0x21;
    static final int TLBI_EL2_VA = 0x22;
    static final int TLBI_EL2_VAA = 0x23;
    static final int TLBI_S12_VMALL = 0x28;
    static final int TLBI_S2_IPA = 0x2A;
    static final int TLBI_NSNH_ALL = 0x30;
    static final int ATC_INV = 0x40;
    static final int PRI_RESP = 0x41;
    static final int RESUME = 0x44;
    static final int STALL_TERM = 0x45;
    static final int CMD_SYNC = 0x46;

    @Override
    public String toString()
    {
        return text;
    }

    /** A command that is only an opcode (NSNH_ALL, EL2_ALL, CMD_SYNC with CS=0, ...). */
    static Cmd op(final int opcode, final String name)
    {
        return new Cmd(opcode, 0, name);
    }

    /** NH_ALL, S12_VMALL: VMID dw0 47:32. */
    static Cmd vmid(final int opcode, final String name, final int vmid)
    {
        return new Cmd(opcode | (long)vmid << 32, 0, name + " vmid=" + vmid);
    }

    /** NH_ASID (VMID 47:32, ASID 63:48) and EL2_ASID (ASID only: pass vmid 0). */
    static Cmd asid(final int opcode, final String name, final int vmid, final int asid)
    {
        return new Cmd(opcode | (long)vmid << 32 | (long)asid << 48, 0, name + " vmid=" + vmid + " asid=" + asid);
    }

    /**
     * A TLBI with an address: NUM dw0 16:12, SCALE 24:20, VMID 47:32, ASID 63:48; LEAF dw1 0, TTL 9:8,
     * TG 11:10, ADDR 63:12.
     */
    static Cmd range(
        final int opcode, final String name, final int vmid, final int asid, final long addr,
        final int tg, final int num, final int scale, final int ttl, final boolean leaf)
    {
        final long d0 = opcode | (long)num << 12 | (long)scale << 20 | (long)vmid << 32 | (long)asid << 48;
        final long d1 = (addr & 0xFFFF_FFFF_FFFF_F000L) | (long)tg << 10 | (long)ttl << 8 | (leaf ? 1 : 0);
        return new Cmd(d0, d1, name + " vmid=" + vmid + " asid=" + asid + " addr=0x" + Long.toHexString(addr) +
            " tg=" + tg + " num=" + num + " scale=" + scale + " ttl=" + ttl + " leaf=" + leaf);
    }

    /** A single-address TLBI (TG = 0). */
    static Cmd at(final int opcode, final String name, final int vmid, final int asid, final long addr, final boolean leaf)
    {
        return range(opcode, name, vmid, asid, addr, 0, 0, 0, 0, leaf);
    }

    /** ATC_INV: Global dw0 9, SSV 11, SSID 31:12, SID 63:32; Size dw1 5:0, ADDR 63:12. */
    static Cmd atcInv(final long sid, final boolean ssv, final int ssid, final boolean global, final long addr, final int size)
    {
        final long d0 = ATC_INV | (global ? 1L << 9 : 0) | (ssv ? 1L << 11 : 0) | (long)ssid << 12 | sid << 32;
        final long d1 = (addr & 0xFFFF_FFFF_FFFF_F000L) | size;
        return new Cmd(d0, d1, "ATC_INV sid=0x" + Long.toHexString(sid) + " ssv=" + ssv + " ssid=" + ssid +
            " global=" + global + " addr=0x" + Long.toHexString(addr) + " size=" + size);
    }

    /** CFGI_STE: SID dw0 63:32, Leaf dw1 0. */
    static Cmd cfgiSte(final long sid, final boolean leaf)
    {
        return new Cmd(CFGI_STE | sid << 32, leaf ? 1 : 0, "CFGI_STE sid=0x" + Long.toHexString(sid) + " leaf=" + leaf);
    }

    /** CFGI_STE_RANGE: SID dw0 63:32, Range dw1 4:0. */
    static Cmd cfgiSteRange(final long sid, final int range)
    {
        return new Cmd(CFGI_STE_RANGE | sid << 32, range,
            "CFGI_STE_RANGE sid=0x" + Long.toHexString(sid) + " range=" + range);
    }

    /** CFGI_CD: SSID dw0 31:12, SID 63:32, Leaf dw1 0. */
    static Cmd cfgiCd(final long sid, final int ssid, final boolean leaf)
    {
        return new Cmd(CFGI_CD | (long)ssid << 12 | sid << 32, leaf ? 1 : 0,
            "CFGI_CD sid=0x" + Long.toHexString(sid) + " ssid=" + ssid + " leaf=" + leaf);
    }

    /** CFGI_CD_ALL: SID dw0 63:32. */
    static Cmd cfgiCdAll(final long sid)
    {
        return new Cmd(CFGI_CD_ALL | sid << 32, 0, "CFGI_CD_ALL sid=0x" + Long.toHexString(sid));
    }

    /** This command with SSec (dw0 bit 10) set. */
    Cmd withSsec()
    {
        return new Cmd(dword0 | 1L << 10, dword1, text + " ssec=1");
    }
}
