package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CmdSyncLayout.CS_IRQ;
import static dev.cmdq.smmu.CmdSyncLayout.CS_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.CS_NONE;
import static dev.cmdq.smmu.CmdSyncLayout.CS_SEV;
import static dev.cmdq.smmu.CmdSyncLayout.CS_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSH_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSH_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIADDR_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIATTR_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIATTR_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIDATA_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIDATA_SHIFT;

import dev.cmdq.smmu.CmdSyncLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for CMD_SYNC ({@link CmdSyncLayout}): field by field, or the whole command as Linux builds
 * it ({@link #linux}).
 */
public final class CmdSyncEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Starts a CMD_SYNC: the opcode, zeros elsewhere (so CS=NONE, MSH=0, MSIATTR=0 until set).
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public CmdSyncEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        CommandWords.put(buffer, offset, Opcode.CMD_SYNC.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Writes the whole CMD_SYNC the way Linux builds it (smmuv3-cmdq.md §2.2, §3):
     * <ul>
     *   <li>CS=IRQ with MSIADDR = {@code msiAddr & GENMASK(51, 2)} when the <em>raw</em> address is
     *       non-zero, else CS=SEV (kernel {@code build_cmd}; §7.4 — an address non-zero only outside
     *       51:2 gives CS=IRQ with MSIADDR 0);</li>
     *   <li>MSH=3 (inner shareable) and MSIATTR=0xF (inner+outer write-back), MSIDATA 0;</li>
     *   <li>{@code busyPoll}: CS is then rewritten to NONE and MSIADDR left as built — the Tegra241
     *       VCMDQ path ({@code arm_smmu_cmdq_build_sync_cmd} with
     *       {@code arm_smmu_cmdq_needs_busy_polling}).</li>
     * </ul>
     *
     * @param buffer   the ring (or any buffer).
     * @param offset   byte offset of the slot.
     * @param msiAddr  the MSI address Linux supplies (its sync slot's DMA address under MSI polling),
     *                 or 0.
     * @param busyPoll true for a queue that needs busy polling (Tegra241 VCMDQ).
     * @return this.
     */
    public CmdSyncEncoder linux(
        final MutableDirectBuffer buffer, final int offset, final long msiAddr, final boolean busyPoll)
    {
        final long cs = busyPoll ? CS_NONE : (msiAddr != 0 ? CS_IRQ : CS_SEV);
        final long dword0 = Opcode.CMD_SYNC.value() |
            (cs << CS_SHIFT) |
            ((long)CmdSyncLayout.MSH_INNER_SHAREABLE << MSH_SHIFT) |
            ((long)CmdSyncLayout.MSIATTR_OIWB << MSIATTR_SHIFT);
        // Linux writes the address only on the IRQ branch; busy polling rewrites CS afterwards but
        // keeps the address, so "non-zero raw address" decides alone.
        CommandWords.put(buffer, offset, dword0, msiAddr & MSIADDR_MASK);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param cs completion signal: {@link CmdSyncLayout#CS_NONE}, {@link CmdSyncLayout#CS_IRQ},
     *           {@link CmdSyncLayout#CS_SEV}; masked to 2 bits.
     * @return this.
     */
    public CmdSyncEncoder cs(final int cs)
    {
        CommandWords.putField0(buffer, offset, CS_MASK, CS_SHIFT, cs);
        return this;
    }

    /**
     * @param msh MSH, masked to 2 bits.
     * @return this.
     */
    public CmdSyncEncoder msh(final int msh)
    {
        CommandWords.putField0(buffer, offset, MSH_MASK, MSH_SHIFT, msh);
        return this;
    }

    /**
     * @param msiAttr MSIAttr, masked to 4 bits.
     * @return this.
     */
    public CmdSyncEncoder msiAttr(final int msiAttr)
    {
        CommandWords.putField0(buffer, offset, MSIATTR_MASK, MSIATTR_SHIFT, msiAttr);
        return this;
    }

    /**
     * @param msiData the 32-bit value written on completion.
     * @return this.
     */
    public CmdSyncEncoder msiData(final long msiData)
    {
        CommandWords.putField0(buffer, offset, MSIDATA_MASK, MSIDATA_SHIFT, msiData);
        return this;
    }

    /**
     * @param msiAddr MSI address; bits 51:2 kept.
     * @return this.
     */
    public CmdSyncEncoder msiAddr(final long msiAddr)
    {
        CommandWords.putField1(buffer, offset, MSIADDR_MASK, 0, msiAddr);
        return this;
    }
}
