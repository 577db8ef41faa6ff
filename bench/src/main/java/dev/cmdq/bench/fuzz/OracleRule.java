package dev.cmdq.bench.fuzz;

/**
 * Which rule of the oracle decided a verdict, for reports and for tests that check the oracle decided for
 * the intended reason. Rules 0..12 are numbered in the order they are tried (first match decides); 13..16
 * were added later and are numbered after them (their place in the order is in {@link CerrorOracle}).
 */
public final class OracleRule
{
    /** No rule fired: a device queue executes the command. */
    public static final int ACCEPTED = 0;
    /** Rule 1: opcode unknown on a Non-secure queue (smmuv3-cmdq.md §2.1). */
    public static final int UNKNOWN_OPCODE = 1;
    /** Rule 2: not on the guest VCMDQ allow-list (vcmdq-viommu.md §2). */
    public static final int NOT_ALLOWED = 2;
    /** Rule 2: CMD_SYNC with CS != NONE on a guest VCMDQ (vcmdq-viommu.md §1.7). */
    public static final int SYNC_CS_NOT_NONE = 3;
    /** Rule 3: SSec = 1 (smmuv3-cmdq.md §2.2, §5.2). */
    public static final int SSEC = 4;
    /** Rule 4: TG != 0 with NUM = SCALE = TTL = 0 (linux-unmap-sequences.md §3.2). */
    public static final int RESERVED_RANGE = 5;
    /** Rule 5 (strict): a bit outside the opcode's fields is set. */
    public static final int RES0_BIT = 6;
    /** Rule 5 (strict): reserved enumeration value (CMD_SYNC CS = 3, PRI_RESP RESP = 3). */
    public static final int RESERVED_VALUE = 7;
    /** Guest VCMDQ: ATC_INV SID matches no SID_MATCH slot (vcmdq-viommu.md §1.8, assumed ILL_ACCESS). */
    public static final int UNMATCHED_SID = 8;
    /** Trapped path: the opcode's action (smmuv3-cmdq.md §5.2). */
    public static final int TRAP_ACTION = 9;
    /** Trapped path: known to the hardware but illegal for QEMU's vSMMU (0x07, stage-2 TLBIs). */
    public static final int TRAP_UNSUPPORTED = 10;
    /** Trapped path: SID-scoped command for a vSID the VM does not own. */
    public static final int TRAP_UNOWNED_SID = 11;
    /** Trapped path: CFGI_STE / CFGI_STE_RANGE naming no device of the VM (ignored). */
    public static final int TRAP_NO_DEVICE = 12;
    /** Device queue: TLBI_EL3_ALL / TLBI_EL3_VA exist only on the Secure queue (IHI0070 §4.4.2.5-6). */
    public static final int SECURE_ONLY = 13;
    /** Device queue: TG = 16K with TTL = 1 and NUM = SCALE = 0 (IHI0070 §4.4.1.1: no level-1 entry at 16K). */
    public static final int RESERVED_TTL = 14;
    /** Device queue: ATC_INV Size above 52 (IHI0070 §4.5.1). */
    public static final int ATC_SIZE = 15;
    /**
     * Trapped path: forwarded, but the host's main CMDQ refuses the converted command and the host's
     * GERROR handler skips it (smmuv3-cmdq.md §1.4-1.5; the kernel checks only opcode and SID,
     * vcmdq-viommu.md §3.7): the call succeeds, nothing is executed.
     */
    public static final int TRAP_HOST_SKIPPED = 16;
    /** Number of rules. */
    public static final int COUNT = 17;

    private static final String[] NAMES =
    {
        "ACCEPTED", "UNKNOWN_OPCODE", "NOT_ALLOWED", "SYNC_CS_NOT_NONE", "SSEC", "RESERVED_RANGE", "RES0_BIT",
        "RESERVED_VALUE", "UNMATCHED_SID", "TRAP_ACTION", "TRAP_UNSUPPORTED", "TRAP_UNOWNED_SID", "TRAP_NO_DEVICE",
        "SECURE_ONLY", "RESERVED_TTL", "ATC_SIZE", "TRAP_HOST_SKIPPED",
    };

    private OracleRule()
    {
    }

    /**
     * @param rule a rule.
     * @return its name.
     */
    public static String name(final int rule)
    {
        return rule >= 0 && rule < COUNT ? NAMES[rule] : "RULE_" + rule;
    }
}
