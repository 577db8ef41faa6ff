package dev.cmdq.bench.fuzz;

/**
 * How QEMU's consume loop (smmuv3-cmdq.md §5.2, accelerated path §5.3) treats one opcode, as the trap
 * handler of the trapped guest CMDQ must. One value per row of {@link CommandRuleTable}; the SID-dependent
 * ones are resolved by {@link CerrorOracle} against the VM's vDEVICEs ({@link FuzzContext}).
 */
public final class TrapHandling
{
    /** Forward to the host invalidate unconditionally (TLBI_NH_*, TLBI_NSNH_ALL: no SID). */
    public static final int FORWARD = 0;
    /** Forward if the SID is a vSID the VM owns, else the context's unowned-SID outcome (ATC_INV, CFGI_CD*). */
    public static final int FORWARD_BY_SID = 1;
    /** Re-install the STE if the VM owns the SID, else ignore (CFGI_STE: "if a device with that SID exists"). */
    public static final int REINSTALL_BY_SID = 2;
    /** Re-install every owned STE in the aligned SID range, ignore if there is none (CFGI_STE_RANGE). */
    public static final int REINSTALL_BY_RANGE = 3;
    /** Complete locally (CMD_SYNC: QEMU executes synchronously, the guest's sync is never forwarded). */
    public static final int COMPLETE = 4;
    /** Consume without effect (PREFETCH_*, EL2/EL3 TLBIs, PRI_RESP, RESUME, STALL_TERM). */
    public static final int IGNORE = 5;
    /** CERROR_ILL: unknown to QEMU, or needs stage 2 which the accelerated vSMMU does not implement. */
    public static final int ILLEGAL = 6;

    private static final String[] NAMES =
    {
        "FORWARD", "FORWARD_BY_SID", "REINSTALL_BY_SID", "REINSTALL_BY_RANGE", "COMPLETE", "IGNORE", "ILLEGAL",
    };

    private TrapHandling()
    {
    }

    /**
     * @param handling one of the constants.
     * @return its name.
     */
    public static String name(final int handling)
    {
        return handling >= 0 && handling < NAMES.length ? NAMES[handling] : "TRAP_" + handling;
    }
}
