package dev.cmdq.vcmdq.guest;

/**
 * The driver entry points an unmap reaches (linux-unmap-sequences.md §2, §7), named as the vectors'
 * {@code op} column names them.
 */
public enum UnmapOp
{
    /** {@code __arm_smmu_tlb_inv_range} for one ASID: the range loop of §3 alone (SVA's call). */
    TLB_INV_RANGE_ASID("tlb_inv_range_asid"),
    /** {@code arm_smmu_tlb_inv_range_domain}: the range loop, then the domain's ATC step (§3, §5). */
    TLB_INV_RANGE_DOMAIN("tlb_inv_range_domain"),
    /** {@code arm_smmu_atc_inv_master}-style ATC_INV of one device, then a sync (§5). */
    ATC_INV("atc_inv"),
    /** {@code arm_smmu_tlb_inv_context}: flush all of the ASID, then the domain's ATC step (§6). */
    TLB_INV_CONTEXT("tlb_inv_context");

    private static final UnmapOp[] VALUES = values();

    private final String csvName;

    UnmapOp(final String csvName)
    {
        this.csvName = csvName;
    }

    /**
     * @return the name in the vectors' {@code op} column.
     */
    public String csvName()
    {
        return csvName;
    }

    /**
     * @return true for the ops that run the range loop (their inputs include granule, leaf, pgsize,
     *         range_inv).
     */
    public boolean isRange()
    {
        return this == TLB_INV_RANGE_ASID || this == TLB_INV_RANGE_DOMAIN;
    }

    /**
     * @return true for the ops that carry the domain's ATS attachment ({@code ats}, and {@code sid}/{@code ssid}
     *         when it is 1).
     */
    public boolean hasDomainAts()
    {
        return this == TLB_INV_RANGE_DOMAIN || this == TLB_INV_CONTEXT;
    }

    /**
     * @param csvName a name from the {@code op} column.
     * @return the op, or null when no op has that name.
     */
    public static UnmapOp ofCsvName(final String csvName)
    {
        for (final UnmapOp op : VALUES)
        {
            if (op.csvName.equals(csvName))
            {
                return op;
            }
        }
        return null;
    }
}
