package dev.cmdq.vcmdq.hw;

import static dev.cmdq.vcmdq.hw.CmdqvLayout.ENABLE;
import static dev.cmdq.vcmdq.hw.CmdqvLayout.SID_MAX;
import static dev.cmdq.vcmdq.hw.CmdqvLayout.SID_SLOTS;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The CMDQV block of one physical SMMU (vcmdq-viommu.md §1): its config page (global registers,
 * CMDQ_ALLOC map, VINTF registers with their SID tables and error maps, offsets per {@link CmdqvLayout})
 * and its VCMDQs. The host programs it; the engine of the SMMU reads it.
 *
 * <p><b>Threads.</b> Every register is an off-heap word: the host writes with release stores, the engine
 * reads with acquire loads, nothing locks. The error maps have one writer, the engine.
 *
 * <p><b>SID slots.</b> The hardware compares a slot's SID_MATCH and uses its SID_REPLACE as one unit; two
 * separate 32-bit words cannot give a reader that (re-validating SID_MATCH after reading SID_REPLACE is
 * not enough: a slot cleared, re-programmed for another vSID, cleared and re-programmed for the first vSID
 * between the reads passes the check with the other vSID's pSID). So each slot also has a
 * 64-bit <em>latch</em> holding the pair ({@code SID_REPLACE << 32 | SID_MATCH}), model-internal memory
 * after the last VINTF block. {@link #programSidSlot} writes SID_REPLACE, then SID_MATCH, then the latch
 * (release); {@link #clearSidSlot} clears the latch first. {@link #lookupSid} reads only latches, one
 * acquire load per slot: it sees a slot either wholly before or wholly after a change, never half-made,
 * and never fails spuriously because another slot changed.
 *
 * <p><b>Simplification.</b> CMDQV and VINTF enables take effect at the write: STATUS.ENABLED follows
 * CONFIG immediately (they change nothing the engine is consuming). A VCMDQ enable is a real handshake
 * with the engine ({@link Vcmdq}).
 */
public final class Cmdqv implements AutoCloseable
{
    /** {@link #lookupSid} result when no enabled slot matches. */
    public static final long NO_MATCH = -1;

    private final int numVintfs;
    private final int numVcmdqs;
    private final int lvcmdqsPerVintf;
    private final AtomicBuffer page;
    private final int latches;
    private final Vcmdq[] vcmdqs;
    private volatile CmdqvErrorListener errorListener = CmdqvErrorListener.NONE;

    /**
     * @param log2Vintfs log2 of the VINTFs, 0..6.
     * @param log2Vcmdqs log2 of the VCMDQs, {@code log2Vintfs..7} (every VINTF gets at least one).
     * @throws IllegalArgumentException naming the argument out of range.
     */
    public Cmdqv(final int log2Vintfs, final int log2Vcmdqs)
    {
        if (log2Vintfs < 0 || log2Vintfs > 6)
        {
            throw new IllegalArgumentException("log2Vintfs=" + log2Vintfs + " is outside 0..6");
        }
        if (log2Vcmdqs < log2Vintfs || log2Vcmdqs > 7)
        {
            throw new IllegalArgumentException("log2Vcmdqs=" + log2Vcmdqs + " is outside " + log2Vintfs + "..7");
        }
        this.numVintfs = 1 << log2Vintfs;
        this.numVcmdqs = 1 << log2Vcmdqs;
        this.lvcmdqsPerVintf = numVcmdqs / numVintfs;
        this.latches = CmdqvLayout.pageBytes(numVintfs);
        final int bytes = latches + numVintfs * SID_SLOTS * Long.BYTES;
        this.page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        page.putIntRelease(CmdqvLayout.PARAM, CmdqvLayout.VERSION | (log2Vcmdqs << 4) | (log2Vintfs << 8) |
            (CmdqvLayout.LOG2_SID_SLOTS << 12));
        this.vcmdqs = new Vcmdq[numVcmdqs];
        for (int q = 0; q < numVcmdqs; q++)
        {
            vcmdqs[q] = new Vcmdq(q);
        }
    }

    /**
     * @return VINTFs.
     */
    public int numVintfs()
    {
        return numVintfs;
    }

    /**
     * @return VCMDQs.
     */
    public int numVcmdqs()
    {
        return numVcmdqs;
    }

    /**
     * @return logical VCMDQs per VINTF (the host's fixed partition, §1.4).
     */
    public int lvcmdqsPerVintf()
    {
        return lvcmdqsPerVintf;
    }

    /**
     * @return SID_MATCH/SID_REPLACE slots per VINTF.
     */
    public int sidSlots()
    {
        return SID_SLOTS;
    }

    /**
     * @param q global VCMDQ index.
     * @return the queue.
     * @throws IllegalArgumentException naming {@code q} when out of range.
     */
    public Vcmdq vcmdq(final int q)
    {
        checkVcmdq(q);
        return vcmdqs[q];
    }

    /**
     * @param vintf  VINTF index.
     * @param lvcmdq logical index in it.
     * @return the global index of the fixed partition ({@code vintf * lvcmdqsPerVintf + lvcmdq}, §1.4).
     * @throws IllegalArgumentException naming the argument out of range.
     */
    public int globalIndex(final int vintf, final int lvcmdq)
    {
        checkVintf(vintf);
        if (lvcmdq < 0 || lvcmdq >= lvcmdqsPerVintf)
        {
            throw new IllegalArgumentException("lvcmdq=" + lvcmdq + " is outside 0.." + (lvcmdqsPerVintf - 1));
        }
        return vintf * lvcmdqsPerVintf + lvcmdq;
    }

    /**
     * @param listener the host's interrupt handler, called on the engine thread.
     */
    public void errorListener(final CmdqvErrorListener listener)
    {
        errorListener = listener == null ? CmdqvErrorListener.NONE : listener;
    }

    /**
     * @return the whole config page (read-only use: a test or trace that inspects words).
     */
    public AtomicBuffer page()
    {
        return page;
    }

    // ---- global registers -------------------------------------------------------------------------

    /**
     * @param value new CONFIG; STATUS.ENABLED follows CMDQV_EN at once.
     */
    public void writeConfig(final int value)
    {
        page.putIntRelease(CmdqvLayout.CONFIG, value);
        page.putIntRelease(CmdqvLayout.STATUS, value & ENABLE);
    }

    /**
     * @return STATUS.
     */
    public int status()
    {
        return page.getIntAcquire(CmdqvLayout.STATUS);
    }

    /**
     * @return PARAM.
     */
    public int param()
    {
        return page.getIntAcquire(CmdqvLayout.PARAM);
    }

    /**
     * @return true while CMDQV is enabled.
     */
    public boolean isEnabled()
    {
        return (page.getIntAcquire(CmdqvLayout.STATUS) & ENABLE) != 0;
    }

    /**
     * @param q     global VCMDQ index.
     * @param value new CMDQ_ALLOC[q] ({@link CmdqvLayout#cmdqAlloc}).
     */
    public void writeCmdqAlloc(final int q, final int value)
    {
        checkVcmdq(q);
        page.putIntRelease(CmdqvLayout.CMDQ_ALLOC + 4 * q, value);
    }

    /**
     * @param q global VCMDQ index.
     * @return CMDQ_ALLOC[q].
     */
    public int cmdqAlloc(final int q)
    {
        checkVcmdq(q);
        return page.getIntAcquire(CmdqvLayout.CMDQ_ALLOC + 4 * q);
    }

    /**
     * @param word 0..3.
     * @return CMDQ_ERR_MAP word {@code word} (VCMDQs {@code 32*word .. 32*word+31}).
     */
    public int cmdqErrMap(final int word)
    {
        return page.getIntAcquire(CmdqvLayout.CMDQ_ERR_MAP + 4 * checkWord(word, 4));
    }

    /**
     * @param word 0..1.
     * @return VI_ERR_MAP word {@code word}.
     */
    public int viErrMap(final int word)
    {
        return page.getIntAcquire(CmdqvLayout.VI_ERR_MAP + 4 * checkWord(word, 2));
    }

    // ---- VINTF registers --------------------------------------------------------------------------

    /**
     * @param vintf VINTF index.
     * @param value new VINTF CONFIG ({@link CmdqvLayout#vintfConfig}); STATUS.ENABLED follows ENABLE at
     *              once, and STATUS reports the VINTF's logical VCMDQ count.
     */
    public void writeVintfConfig(final int vintf, final int value)
    {
        final int at = CmdqvLayout.vintf(checkVintf(vintf));
        page.putIntRelease(at + CmdqvLayout.VINTF_CONFIG, value);
        page.putIntRelease(at + CmdqvLayout.VINTF_STATUS, (value & ENABLE) | (lvcmdqsPerVintf << 16));
    }

    /**
     * @param vintf VINTF index.
     * @return VINTF CONFIG.
     */
    public int vintfConfig(final int vintf)
    {
        return page.getIntAcquire(CmdqvLayout.vintf(checkVintf(vintf)) + CmdqvLayout.VINTF_CONFIG);
    }

    /**
     * @param vintf VINTF index.
     * @return VINTF STATUS.
     */
    public int vintfStatus(final int vintf)
    {
        return page.getIntAcquire(CmdqvLayout.vintf(checkVintf(vintf)) + CmdqvLayout.VINTF_STATUS);
    }

    /**
     * @param vintf VINTF index.
     * @param word  0..3.
     * @return LVCMDQ_ERR_MAP word {@code word} of the VINTF.
     */
    public int lvcmdqErrMap(final int vintf, final int word)
    {
        return page.getIntAcquire(CmdqvLayout.vintf(checkVintf(vintf)) + CmdqvLayout.LVCMDQ_ERR_MAP + 4 * checkWord(word, 4));
    }

    /**
     * Publishes a SID slot: the register words SID_REPLACE, then SID_MATCH with ENABLE (what software reads
     * back), then — the publication the engine acts on — the slot's 64-bit latch holding both (one release
     * store), so a lookup sees either no match or the whole pair, never a vSID with another slot's pSID
     * (pinned by {@code SidSlotLatchJcstress}).
     *
     * @param vintf VINTF index.
     * @param slot  0..15; must be disabled (cleared first when re-used).
     * @param vsid  virtual SID, 20-bit.
     * @param psid  physical SID, 20-bit.
     * @throws IllegalArgumentException naming the field out of range.
     * @throws IllegalStateException naming the slot when it is enabled.
     */
    public void programSidSlot(final int vintf, final int slot, final long vsid, final long psid)
    {
        final int at = sidSlot(vintf, slot);
        final int match = CmdqvLayout.sidMatch(vsid);
        if (psid < 0 || psid > SID_MAX)
        {
            throw new IllegalArgumentException("psid=0x" + Long.toHexString(psid) + " does not fit SID_REPLACE's 20 bits");
        }
        if ((page.getIntAcquire(CmdqvLayout.SID_MATCH + at) & ENABLE) != 0)
        {
            throw new IllegalStateException("VINTF " + vintf + " SID slot " + slot + " is in use");
        }
        page.putIntRelease(CmdqvLayout.SID_REPLACE + at, (int)psid);
        page.putIntRelease(CmdqvLayout.SID_MATCH + at, match);
        page.putLongRelease(latch(vintf, slot), (psid << 32) | match);
    }

    /**
     * Removes a SID slot: the latch is cleared first (one release store), so a lookup that starts
     * afterwards cannot match it; the SID_MATCH and SID_REPLACE register words are zeroed after.
     *
     * @param vintf VINTF index.
     * @param slot  0..15.
     */
    public void clearSidSlot(final int vintf, final int slot)
    {
        final int at = sidSlot(vintf, slot);
        page.putLongRelease(latch(vintf, slot), 0);
        page.putIntRelease(CmdqvLayout.SID_MATCH + at, 0);
        page.putIntRelease(CmdqvLayout.SID_REPLACE + at, 0);
    }

    /**
     * @param vintf VINTF index.
     * @param slot  0..15.
     * @return byte offset in {@link #page()} of the slot's 64-bit latch.
     */
    int latch(final int vintf, final int slot)
    {
        return latches + (vintf * SID_SLOTS + slot) * Long.BYTES;
    }

    /**
     * @param vintf VINTF index.
     * @param slot  0..15.
     * @return SID_MATCH[slot].
     */
    public int sidMatch(final int vintf, final int slot)
    {
        return page.getIntAcquire(CmdqvLayout.SID_MATCH + sidSlot(vintf, slot));
    }

    /**
     * @param vintf VINTF index.
     * @param slot  0..15.
     * @return SID_REPLACE[slot].
     */
    public int sidReplace(final int vintf, final int slot)
    {
        return page.getIntAcquire(CmdqvLayout.SID_REPLACE + sidSlot(vintf, slot));
    }

    /**
     * The hardware's SID substitution (§1.8): the pSID of the enabled slot whose virtual SID is
     * {@code vsid}. Wait-free and allocation-free; reads the slot latches (class comment), so a half-made
     * or re-programmed slot is never paired.
     *
     * @param vintf VINTF index (not checked: engine hot path).
     * @param vsid  the SID field of a guest command (32-bit; values above 20 bits never match).
     * @return the pSID, or {@link #NO_MATCH}.
     */
    public long lookupSid(final int vintf, final long vsid)
    {
        if (vsid < 0 || vsid > SID_MAX)
        {
            return NO_MATCH;
        }
        final long wanted = ((vsid << CmdqvLayout.VSID_SHIFT) | ENABLE) & 0xFFFF_FFFFL;
        final AtomicBuffer page = this.page;
        final int first = latches + vintf * SID_SLOTS * Long.BYTES;
        for (int s = 0; s < SID_SLOTS; s++)
        {
            final long pair = page.getLongAcquire(first + s * Long.BYTES);
            if ((pair & 0xFFFF_FFFFL) == wanted)
            {
                return pair >>> 32;
            }
        }
        return NO_MATCH;
    }

    // ---- error maps (engine thread only) ----------------------------------------------------------

    void markError(final int q, final int vintf, final int lvcmdq)
    {
        setBit(CmdqvLayout.CMDQ_ERR_MAP, q, true);
        setBit(CmdqvLayout.vintf(vintf) + CmdqvLayout.LVCMDQ_ERR_MAP, lvcmdq, true);
        setBit(CmdqvLayout.VI_ERR_MAP, vintf, true);
        errorListener.onVcmdqError(vintf, lvcmdq, q);
    }

    void clearError(final int q, final int vintf, final int lvcmdq)
    {
        setBit(CmdqvLayout.CMDQ_ERR_MAP, q, false);
        final int lvMap = CmdqvLayout.vintf(vintf) + CmdqvLayout.LVCMDQ_ERR_MAP;
        setBit(lvMap, lvcmdq, false);
        if ((page.getInt(lvMap) | page.getInt(lvMap + 4) | page.getInt(lvMap + 8) | page.getInt(lvMap + 12)) == 0)
        {
            setBit(CmdqvLayout.VI_ERR_MAP, vintf, false);
        }
    }

    private void setBit(final int mapOffset, final int bit, final boolean set)
    {
        // Single writer (the engine): a plain read and a release store, no read-modify-write race.
        final int at = mapOffset + 4 * (bit >>> 5);
        final int word = page.getInt(at);
        final int mask = 1 << (bit & 31);
        page.putIntRelease(at, set ? word | mask : word & ~mask);
    }

    private int sidSlot(final int vintf, final int slot)
    {
        checkVintf(vintf);
        if (slot < 0 || slot >= SID_SLOTS)
        {
            throw new IllegalArgumentException("slot=" + slot + " is outside 0.." + (SID_SLOTS - 1));
        }
        return CmdqvLayout.vintf(vintf) + 4 * slot;
    }

    private int checkVintf(final int vintf)
    {
        if (vintf < 0 || vintf >= numVintfs)
        {
            throw new IllegalArgumentException("vintf=" + vintf + " is outside 0.." + (numVintfs - 1));
        }
        return vintf;
    }

    private void checkVcmdq(final int q)
    {
        if (q < 0 || q >= numVcmdqs)
        {
            throw new IllegalArgumentException("vcmdq=" + q + " is outside 0.." + (numVcmdqs - 1));
        }
    }

    private static int checkWord(final int word, final int words)
    {
        if (word < 0 || word >= words)
        {
            throw new IllegalArgumentException("word=" + word + " is outside 0.." + (words - 1));
        }
        return word;
    }

    /**
     * Frees the VCMDQ register blocks. Call after the engine stopped.
     */
    @Override
    public void close()
    {
        for (final Vcmdq q : vcmdqs)
        {
            q.close();
        }
    }
}
