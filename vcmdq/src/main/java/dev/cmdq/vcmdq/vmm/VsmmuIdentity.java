package dev.cmdq.vcmdq.vmm;

/**
 * What a vSMMU advertises in its ID registers: the largest command queue the guest may program, whether
 * range invalidation (IDR3.RIL) and ATS are offered, and the StreamID width. MSI and SEV are never
 * advertised (as QEMU's vSMMU, vcmdq-viommu.md §5.1): the guest completes CMD_SYNC by polling CONS.
 *
 * @param cmdqLog2Max IDR1.CMDQS, 0..19: CMDQ_BASE.LOG2SIZE is clamped to it (QEMU advertises 19).
 * @param rangeInvalidation IDR3.RIL.
 * @param ats IDR0.ATS; without it ATC_INV is ignored, as QEMU ignores it when ATS is not enabled.
 * @param sidBits IDR1.SIDSIZE, 1..32.
 */
public record VsmmuIdentity(int cmdqLog2Max, boolean rangeInvalidation, boolean ats, int sidBits)
{
    /** QEMU's SMMU_CMDQS. */
    public static final int QEMU_CMDQS = 19;

    /**
     * @throws IllegalArgumentException naming {@code cmdqLog2Max} or {@code sidBits} when out of range.
     */
    public VsmmuIdentity
    {
        if (cmdqLog2Max < 0 || cmdqLog2Max > QEMU_CMDQS)
        {
            throw new IllegalArgumentException("cmdqLog2Max=" + cmdqLog2Max + " is not in 0.." + QEMU_CMDQS);
        }
        if (sidBits < 1 || sidBits > 32)
        {
            throw new IllegalArgumentException("sidBits=" + sidBits + " is not in 1..32");
        }
    }

    /**
     * @return QEMU's defaults: CMDQS 19, RIL on, ATS on, 16-bit StreamIDs.
     */
    public static VsmmuIdentity qemuDefault()
    {
        return new VsmmuIdentity(QEMU_CMDQS, true, true, 16);
    }

    /**
     * @return IDR0: S1P, TTF AArch64, ASID16, ATS if configured; never MSI or SEV (or S2P: stage 1 only).
     */
    public int idr0()
    {
        return SmmuPage0.IDR0_S1P | SmmuPage0.IDR0_TTF_AARCH64 | SmmuPage0.IDR0_ASID16 | (ats ? SmmuPage0.IDR0_ATS : 0);
    }

    /**
     * @return IDR1: CMDQS and SIDSIZE.
     */
    public int idr1()
    {
        return (cmdqLog2Max << SmmuPage0.IDR1_CMDQS_SHIFT) | (sidBits & SmmuPage0.IDR1_SIDSIZE_MASK);
    }

    /**
     * @return IDR3: RIL if configured.
     */
    public int idr3()
    {
        return rangeInvalidation ? SmmuPage0.IDR3_RIL : 0;
    }
}
