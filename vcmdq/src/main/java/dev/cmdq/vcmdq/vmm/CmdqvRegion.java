package dev.cmdq.vcmdq.vmm;

import static dev.cmdq.vcmdq.vmm.CmdqvAperture.ENABLE;
import static dev.cmdq.vcmdq.vmm.CmdqvAperture.LVCMDQS;
import static dev.cmdq.vcmdq.vmm.CmdqvAperture.PAGE_SIZE;
import static dev.cmdq.vcmdq.vmm.CmdqvAperture.VCMDQ_STRIDE;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.IommufdException;

import java.util.Objects;

/**
 * The trapped part of a vSMMU's emulated Tegra241 CMDQV (QEMU's {@code tegra241-cmdqv.c},
 * vcmdq-viommu.md §1.10): the config page, the global VCMDQ pages 0 and 1 and the VINTF0 page 1, laid
 * out per {@link CmdqvAperture}. The guest's direct window, VINTF0 page 0, is {@link #vintfPage0()}:
 * mapped, never a region access (an access that does arrive here at 0x30000 is treated like one through
 * the global page 0 window).
 *
 * <p><b>HW queue allocation</b> (QEMU's rule). The guest programs CMDQV_EN, VINTF0 ENABLE,
 * CMDQ_ALLOC_MAP[l].ALLOC and BASE[l] in any order; each of these writes retries the allocation:
 *
 * <pre>
 *   page 0 of queue l:  cached  --(all four hold: IOMMU_HW_QUEUE_ALLOC(viommu, 1, l, BASE.ADDR,
 *                                  1 &lt;&lt; (LOG2SIZE + 4)))--&gt;  mapped (cached CONS, PROD, GERRORN,
 *                                  then CONFIG replayed; global page 0 forwarded to the mapping)
 *                       cached  --(host refuses)--&gt; cached, GERROR |= CMDQ_INIT_ERR, STATUS.CMDQ_EN_OK = 0
 *                       mapped  --(BASE rewritten)--&gt; destroy, allocate again
 *                       mapped  --(ALLOC 1-&gt;0)--&gt; destroy; (CMDQV_EN or VINTF0 ENABLE cleared)--&gt; destroy
 *                                  every queue, descending index (the host's order, §1.4)
 * </pre>
 *
 * Only a BASE write re-allocates a queue that already has a HW queue: QEMU re-allocates on each of the
 * four writes, which would reset a running queue whose VINTF enable the guest merely repeats.
 *
 * <p><b>Error maps.</b> VI_ERR_MAP, CMDQ_ERR_MAP and VINTF0 LVCMDQ_ERR_MAP are written only by
 * {@link #reportErrors} (the vEVENTQ's reports, §1.9 step 3): the 128-bit map is copied into both maps
 * (identical, since one VINTF is exposed), VI_ERR_MAP bit 0 is set and the interrupt pulsed unless
 * VI_INT_MASK bit 0 masks it. As in QEMU, the maps keep the last report until the next one: the
 * guest's acknowledge goes to the mapped page and is not seen here.
 *
 * <p><b>Rules kept as QEMU keeps them:</b> HYP_OWN reads 0 whatever the guest writes; the guest's
 * SID_MATCH/SID_REPLACE writes are only cached (the host programs the real table per vDEVICE, §1.8);
 * PARAM reports one VINTF with two logical VCMDQs and 16 SID slots; 8-byte writes are honoured only
 * for BASE and CONS_INDX_BASE (elsewhere ignored), an 8-byte read returns two consecutive 32-bit
 * registers. Anything it does not implement reads 0 and ignores writes, counted in
 * {@link VsmmuCounters#ignoredAccesses()}; it never throws at the guest — a host refusal of a destroy is
 * counted in {@link CmdqvCounters#hostRefusals()} and the queue stays.
 *
 * <p><b>Threads.</b> Every method runs under the owning vSMMU's lock. Not a hot path: the guest's
 * commands go through the mapped page, never through here.
 */
public final class CmdqvRegion implements MmioRegion
{
    /** {@code IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV}. */
    public static final int HW_QUEUE_TYPE_TEGRA241_CMDQV = 1;

    private final IommufdBackend backend;
    private final int viommuId;
    private final VintfPage0 page0;
    private final VsmmuCounters vsmmuCounters;
    private final CmdqvCounters counters;
    private final CmdqvInterrupt interrupt;

    private int config = CmdqvAperture.CONFIG_RESET;
    private int status = ENABLE;
    private final int[] viErrMap = new int[2];
    private final int[] viIntMask = new int[2];
    private final int[] cmdqErrMap = new int[4];
    private final int[] cmdqAllocMap = new int[LVCMDQS];
    private int vintfConfig;
    private int vintfStatus;
    private final int[] sidMatch = new int[CmdqvAperture.SID_SLOTS];
    private final int[] sidReplace = new int[CmdqvAperture.SID_SLOTS];
    private final int[] lvcmdqErrMap = new int[4];

    // QEMU's per-queue register cache: what page 0 holds until the queue has a HW queue.
    private final int[] cons = new int[LVCMDQS];
    private final int[] prod = new int[LVCMDQS];
    private final int[] queueConfig = new int[LVCMDQS];
    private final int[] queueStatus = new int[LVCMDQS];
    private final int[] gerror = new int[LVCMDQS];
    private final int[] gerrorn = new int[LVCMDQS];
    private final long[] base = new long[LVCMDQS];
    private final long[] consIndexBase = new long[LVCMDQS];

    private String lastRefusal;
    private boolean closed;

    /**
     * @param backend       the host's iommufd.
     * @param viommuId      the vSMMU's one TEGRA241_CMDQV vIOMMU (see {@link VsmmuTopology#vcmdqViommu()}).
     * @param vsmmuCounters where ignored accesses are counted.
     * @param counters      the CMDQV's own counters.
     * @param interrupt     the emulated CMDQV interrupt line.
     */
    public CmdqvRegion(
        final IommufdBackend backend,
        final int viommuId,
        final VsmmuCounters vsmmuCounters,
        final CmdqvCounters counters,
        final CmdqvInterrupt interrupt)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.viommuId = viommuId;
        this.vsmmuCounters = Objects.requireNonNull(vsmmuCounters, "vsmmuCounters");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.interrupt = Objects.requireNonNull(interrupt, "interrupt");
        this.page0 = new VintfPage0(backend, counters.mappedAccesses());
    }

    @Override
    public long read(final int offset, final int width)
    {
        if (width == 8)
        {
            return (read32(offset) & 0xFFFF_FFFFL) | ((read32(offset + 4) & 0xFFFF_FFFFL) << 32);
        }
        if (width != 4)
        {
            return ignored();
        }
        return read32(offset) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(final int offset, final long value, final int width)
    {
        if (width == 4)
        {
            write32(offset, (int)value);
        }
        else if (width == 8 && offset >= CmdqvAperture.VCMDQ_PAGE1 && isPage1(offset))
        {
            writePage1Long(queueOf(offset), registerOf(offset), value);
        }
        else
        {
            ignored();
        }
    }

    /**
     * A guest-VCMDQ error report from the vEVENTQ (§1.9 step 3): copies the VINTF's 128-bit LVCMDQ error
     * map into the emulated LVCMDQ_ERR_MAP and CMDQ_ERR_MAP, sets VI_ERR_MAP bit 0 and pulses the
     * interrupt unless VI_INT_MASK bit 0 is set. An all-zero map changes nothing (QEMU's rule).
     *
     * @param map0 bits 63:0.
     * @param map1 bits 127:64.
     * @return true when the maps were written.
     */
    public boolean reportErrors(final long map0, final long map1)
    {
        if (map0 == 0 && map1 == 0)
        {
            return false;
        }
        lvcmdqErrMap[0] = (int)map0;
        lvcmdqErrMap[1] = (int)(map0 >>> 32);
        lvcmdqErrMap[2] = (int)map1;
        lvcmdqErrMap[3] = (int)(map1 >>> 32);
        System.arraycopy(lvcmdqErrMap, 0, cmdqErrMap, 0, 4);
        viErrMap[0] |= 1;
        counters.errorReports().incrementRelease();
        if ((viIntMask[0] & 1) == 0)
        {
            counters.interrupts().incrementRelease();
            interrupt.pulse();
        }
        else
        {
            counters.maskedInterrupts().incrementRelease();
        }
        return true;
    }

    /**
     * After the vEVENTQ lost reports: rebuilds the error map from the mapped queues themselves (every
     * queue whose GERROR.CMDQ_ERR differs from GERRORN is halted) and reports it, so a queue whose event
     * was dropped is not left halted without an interrupt. QEMU only logs the loss.
     *
     * @return true when some queue was in error and the maps were written.
     */
    public boolean resyncErrors()
    {
        long map = 0;
        for (int l = 0; l < LVCMDQS; l++)
        {
            if (page0.isMapped(l))
            {
                final QueueRegisters registers = page0.registers(l);
                if (((registers.getGerrorAcquire() ^ registers.getGerrornAcquire()) & CmdqvAperture.CMDQ_ERR) != 0)
                {
                    map |= 1L << l;
                }
            }
        }
        return reportErrors(map, 0);
    }

    /**
     * Teardown: frees every HW queue in descending index; afterwards no write allocates one again.
     */
    public void close()
    {
        closed = true;
        freeAll();
    }

    /**
     * @return the guest's mapped VINTF page 0.
     */
    public VintfPage0 vintfPage0()
    {
        return page0;
    }

    /**
     * @return the vIOMMU HW queues are allocated on.
     */
    public int viommuId()
    {
        return viommuId;
    }

    /**
     * @return the CMDQV's counters.
     */
    public CmdqvCounters counters()
    {
        return counters;
    }

    /**
     * @return the message of the host's last refusal (allocation or destroy), or null.
     */
    public String lastRefusal()
    {
        return lastRefusal;
    }

    private int read32(final int offset)
    {
        if (offset < 0 || offset > CmdqvAperture.LENGTH - 4 || (offset & 3) != 0)
        {
            return ignored();
        }
        if (offset < CmdqvAperture.VCMDQ_PAGE0)
        {
            return readConfigPage(offset);
        }
        final int q = queueOf(offset);
        if (q >= LVCMDQS)
        {
            return ignored();
        }
        return isPage1(offset) ? readPage1(q, registerOf(offset)) : readPage0(q, registerOf(offset));
    }

    private void write32(final int offset, final int value)
    {
        if (offset < 0 || offset > CmdqvAperture.LENGTH - 4 || (offset & 3) != 0)
        {
            ignored();
            return;
        }
        if (offset < CmdqvAperture.VCMDQ_PAGE0)
        {
            writeConfigPage(offset, value);
            return;
        }
        final int q = queueOf(offset);
        if (q >= LVCMDQS)
        {
            ignored();
            return;
        }
        if (isPage1(offset))
        {
            writePage1(q, registerOf(offset), value);
        }
        else
        {
            writePage0(q, registerOf(offset), value);
        }
    }

    private static boolean isPage1(final int offset)
    {
        final int page = offset / PAGE_SIZE;
        return page == 2 || page == 4;
    }

    private static int queueOf(final int offset)
    {
        return (offset % PAGE_SIZE) / VCMDQ_STRIDE;
    }

    private static int registerOf(final int offset)
    {
        return (offset % PAGE_SIZE) % VCMDQ_STRIDE;
    }

    private int readConfigPage(final int offset)
    {
        switch (offset)
        {
            case CmdqvAperture.CONFIG: return config;
            case CmdqvAperture.PARAM: return CmdqvAperture.PARAM_VALUE;
            case CmdqvAperture.STATUS: return status;
            case CmdqvAperture.VINTF0_CONFIG: return vintfConfig;
            case CmdqvAperture.VINTF0_STATUS: return vintfStatus;
            default: break;
        }
        return readWord(offset);
    }

    private void writeConfigPage(final int offset, final int value)
    {
        switch (offset)
        {
            case CmdqvAperture.CONFIG:
                config = value;
                if ((value & ENABLE) != 0)
                {
                    status |= ENABLE;
                    setupAll();
                }
                else
                {
                    freeAll();
                    status &= ~ENABLE;
                }
                return;
            case CmdqvAperture.VINTF0_CONFIG:
                // HYP_OWN is wired to 0 for a guest (§1.5): the driver trusts the read-back.
                vintfConfig = value & ~CmdqvAperture.HYP_OWN;
                if ((value & ENABLE) != 0)
                {
                    vintfStatus |= ENABLE;
                    setupAll();
                }
                else
                {
                    freeAll();
                    vintfStatus &= ~ENABLE;
                }
                return;
            default:
                break;
        }
        if (in(offset, CmdqvAperture.CMDQ_ALLOC_MAP, LVCMDQS))
        {
            writeAllocMap((offset - CmdqvAperture.CMDQ_ALLOC_MAP) >> 2, value);
        }
        else if (in(offset, CmdqvAperture.VI_INT_MASK, 2))
        {
            viIntMask[(offset - CmdqvAperture.VI_INT_MASK) >> 2] = value;
        }
        else if (in(offset, CmdqvAperture.VINTF0_SID_MATCH, CmdqvAperture.SID_SLOTS))
        {
            sidMatch[(offset - CmdqvAperture.VINTF0_SID_MATCH) >> 2] = value;
        }
        else if (in(offset, CmdqvAperture.VINTF0_SID_REPLACE, CmdqvAperture.SID_SLOTS))
        {
            sidReplace[(offset - CmdqvAperture.VINTF0_SID_REPLACE) >> 2] = value;
        }
        else
        {
            // PARAM, STATUS, the error maps, VINTF0 STATUS (read-only) and everything unimplemented.
            ignored();
        }
    }

    /** The word-array registers of the config page. */
    private int readWord(final int offset)
    {
        if (in(offset, CmdqvAperture.VI_ERR_MAP, 2))
        {
            return viErrMap[(offset - CmdqvAperture.VI_ERR_MAP) >> 2];
        }
        if (in(offset, CmdqvAperture.VI_INT_MASK, 2))
        {
            return viIntMask[(offset - CmdqvAperture.VI_INT_MASK) >> 2];
        }
        if (in(offset, CmdqvAperture.CMDQ_ERR_MAP, 4))
        {
            return cmdqErrMap[(offset - CmdqvAperture.CMDQ_ERR_MAP) >> 2];
        }
        if (in(offset, CmdqvAperture.CMDQ_ALLOC_MAP, LVCMDQS))
        {
            return cmdqAllocMap[(offset - CmdqvAperture.CMDQ_ALLOC_MAP) >> 2];
        }
        if (in(offset, CmdqvAperture.VINTF0_SID_MATCH, CmdqvAperture.SID_SLOTS))
        {
            return sidMatch[(offset - CmdqvAperture.VINTF0_SID_MATCH) >> 2];
        }
        if (in(offset, CmdqvAperture.VINTF0_SID_REPLACE, CmdqvAperture.SID_SLOTS))
        {
            return sidReplace[(offset - CmdqvAperture.VINTF0_SID_REPLACE) >> 2];
        }
        if (in(offset, CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 4))
        {
            return lvcmdqErrMap[(offset - CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP) >> 2];
        }
        return ignored();
    }

    private static boolean in(final int offset, final int first, final int words)
    {
        return offset >= first && offset < first + 4 * words;
    }

    private void writeAllocMap(final int q, final int value)
    {
        final boolean was = (cmdqAllocMap[q] & ENABLE) != 0;
        final boolean now = (value & ENABLE) != 0;
        cmdqAllocMap[q] = value;
        if (!was && now)
        {
            setup(q, false);
        }
        else if (was && !now)
        {
            free(q);
        }
    }

    private int readPage0(final int q, final int register)
    {
        if (page0.isMapped(q))
        {
            switch (register)
            {
                case CmdqvAperture.CONS: return page0.registers(q).getConsAcquire();
                case CmdqvAperture.PROD: return page0.registers(q).getProdAcquire();
                case CmdqvAperture.VCMDQ_CONFIG: return page0.config(q);
                case CmdqvAperture.VCMDQ_STATUS: return page0.status(q);
                case CmdqvAperture.GERROR: return page0.registers(q).getGerrorAcquire();
                case CmdqvAperture.GERRORN: return page0.registers(q).getGerrornAcquire();
                default: return ignored();
            }
        }
        switch (register)
        {
            case CmdqvAperture.CONS: return cons[q];
            case CmdqvAperture.PROD: return prod[q];
            case CmdqvAperture.VCMDQ_CONFIG: return queueConfig[q];
            case CmdqvAperture.VCMDQ_STATUS: return queueStatus[q];
            case CmdqvAperture.GERROR: return gerror[q];
            case CmdqvAperture.GERRORN: return gerrorn[q];
            default: return ignored();
        }
    }

    private void writePage0(final int q, final int register, final int value)
    {
        if (page0.isMapped(q))
        {
            switch (register)
            {
                case CmdqvAperture.CONS: page0.registers(q).putConsRelease(value); return;
                case CmdqvAperture.PROD: page0.registers(q).putProdRelease(value); return;
                case CmdqvAperture.VCMDQ_CONFIG: page0.writeConfig(q, value); return;
                case CmdqvAperture.GERRORN: page0.registers(q).putGerrornRelease(value); return;
                default: ignored(); return;
            }
        }
        switch (register)
        {
            case CmdqvAperture.CONS: cons[q] = value; return;
            case CmdqvAperture.PROD: prod[q] = value; return;
            case CmdqvAperture.VCMDQ_CONFIG:
                if ((value & ENABLE) == 0)
                {
                    queueStatus[q] &= ~ENABLE;
                }
                else if ((gerror[q] & CmdqvAperture.CMDQ_INIT_ERR) == 0)
                {
                    // No hardware yet: the cache reports enabled unless the allocation was refused (QEMU).
                    queueStatus[q] |= ENABLE;
                }
                queueConfig[q] = value;
                return;
            case CmdqvAperture.GERRORN: gerrorn[q] = value; return;
            default: ignored(); return;
        }
    }

    private int readPage1(final int q, final int register)
    {
        switch (register)
        {
            case CmdqvAperture.BASE_L: return (int)base[q];
            case CmdqvAperture.BASE_H: return (int)(base[q] >>> 32);
            case CmdqvAperture.CONS_INDX_BASE_L: return (int)consIndexBase[q];
            case CmdqvAperture.CONS_INDX_BASE_H: return (int)(consIndexBase[q] >>> 32);
            default: return ignored();
        }
    }

    private void writePage1(final int q, final int register, final int value)
    {
        final long low = value & 0xFFFF_FFFFL;
        switch (register)
        {
            case CmdqvAperture.BASE_L:
                base[q] = (base[q] & 0xFFFF_FFFF_0000_0000L) | low;
                setup(q, true);
                return;
            case CmdqvAperture.BASE_H:
                base[q] = (base[q] & 0xFFFF_FFFFL) | (low << 32);
                setup(q, true);
                return;
            case CmdqvAperture.CONS_INDX_BASE_L:
                consIndexBase[q] = (consIndexBase[q] & 0xFFFF_FFFF_0000_0000L) | low;
                return;
            case CmdqvAperture.CONS_INDX_BASE_H:
                consIndexBase[q] = (consIndexBase[q] & 0xFFFF_FFFFL) | (low << 32);
                return;
            default:
                ignored();
        }
    }

    private void writePage1Long(final int q, final int register, final long value)
    {
        if (q >= LVCMDQS)
        {
            ignored();
        }
        else if (register == CmdqvAperture.BASE_L)
        {
            base[q] = value;
            setup(q, true);
        }
        else if (register == CmdqvAperture.CONS_INDX_BASE_L)
        {
            consIndexBase[q] = value;
        }
        else
        {
            ignored();
        }
    }

    private boolean readyToAllocate(final int q)
    {
        return !closed && base[q] != 0 && (cmdqAllocMap[q] & ENABLE) != 0 && (config & ENABLE) != 0 &&
            (vintfConfig & ENABLE) != 0;
    }

    private void setupAll()
    {
        // Ascending, as the host requires (§1.4); stop at the first refusal, as QEMU does.
        for (int q = 0; q < LVCMDQS; q++)
        {
            if (!setup(q, false))
            {
                return;
            }
        }
    }

    /**
     * Allocates queue q's HW queue when everything it needs is programmed, then replays the cached page 0
     * writes into the mapping. A queue that has one keeps it unless {@code reallocate} (a BASE write:
     * the ring moved). QEMU re-allocates on every precondition write; repeating an enable write there
     * would destroy a running queue's state, so here only BASE does.
     *
     * @return false only when the host refused.
     */
    private boolean setup(final int q, final boolean reallocate)
    {
        if (!readyToAllocate(q) || (!reallocate && page0.isMapped(q)))
        {
            return true;
        }
        if (!free(q))
        {
            return false;
        }
        final int id;
        try
        {
            id = backend.allocHwQueue(viommuId, HW_QUEUE_TYPE_TEGRA241_CMDQV, q, base[q] & CmdqvAperture.BASE_ADDR_MASK,
                CmdqvAperture.ringBytes(base[q]));
        }
        catch (final IommufdException e)
        {
            refused(e);
            gerror[q] |= CmdqvAperture.CMDQ_INIT_ERR;
            queueStatus[q] &= ~ENABLE;
            return false;
        }
        counters.hwQueueAllocs().incrementRelease();
        gerror[q] &= ~CmdqvAperture.CMDQ_INIT_ERR;
        page0.map(q, id);
        final QueueRegisters registers = page0.registers(q);
        registers.putConsRelease(cons[q]);
        registers.putProdRelease(prod[q]);
        // CMDQ_INIT_ERR was the emulation's own; its acknowledge must not read as a pending error on
        // the hardware queue, whose GERROR never had it.
        registers.putGerrornRelease(gerrorn[q] & ~CmdqvAperture.CMDQ_INIT_ERR);
        // CONFIG last (QEMU replays it before GERRORN): a threaded engine may start the queue the moment
        // CMDQ_EN lands, so everything else must be in place by then.
        page0.writeConfig(q, queueConfig[q]);
        return true;
    }

    private void freeAll()
    {
        // Descending, as the host requires (§1.4, §3.9).
        for (int q = LVCMDQS - 1; q >= 0; q--)
        {
            free(q);
        }
    }

    /**
     * Destroys queue q's HW queue, if any, and resets its page 0 cache (QEMU).
     *
     * @return false when the host refused; the queue then stays mapped.
     */
    private boolean free(final int q)
    {
        final int id = page0.hwQueueId(q);
        if (id == 0)
        {
            return true;
        }
        try
        {
            backend.destroy(id);
        }
        catch (final IommufdException e)
        {
            refused(e);
            return false;
        }
        counters.hwQueueFrees().incrementRelease();
        page0.unmap(q);
        cons[q] = 0;
        prod[q] = 0;
        queueConfig[q] = 0;
        queueStatus[q] = 0;
        gerror[q] = 0;
        gerrorn[q] = 0;
        return true;
    }

    private void refused(final IommufdException e)
    {
        counters.hostRefusals().incrementRelease();
        lastRefusal = e.getMessage();
    }

    private int ignored()
    {
        vsmmuCounters.ignoredAccesses().incrementRelease();
        return 0;
    }
}
