package dev.cmdq.smmu.linux;

/**
 * The inputs of a kernel {@code struct arm_smmu_cmdq_ent}, spelled as the golden vectors spell them
 * (smmuv3-cmdq.md §6): the union members' field names without the union prefix ({@code tlbi.vmid} is
 * {@code vmid}), {@code ssv} for {@code substream_valid}, and {@code busy_poll} for the Tegra241
 * path that rewrites a CMD_SYNC's CS to NONE.
 *
 * <p>Boolean keys follow C's {@code bool}: any non-zero value is 1.
 */
public enum LinuxInputKey
{
    /** {@code prefetch.sid}, {@code cfgi.sid}, {@code atc.sid}, {@code pri.sid}, {@code resume.sid}. */
    SID("sid", null, false),
    /** {@code cfgi.ssid}, {@code atc.ssid}, {@code pri.ssid}. */
    SSID("ssid", null, false),
    /** {@code substream_valid} (common). */
    SSV("ssv", "substream_valid", true),
    /** {@code cfgi.leaf}, {@code tlbi.leaf}. */
    LEAF("leaf", null, true),
    /** {@code cfgi.span} (a union with leaf; no opcode of the current kernel reads it). */
    SPAN("span", null, false),
    /** {@code tlbi.num}. */
    NUM("num", null, false),
    /** {@code tlbi.scale}. */
    SCALE("scale", null, false),
    /** {@code tlbi.asid}. */
    ASID("asid", null, false),
    /** {@code tlbi.vmid}. */
    VMID("vmid", null, false),
    /** {@code tlbi.ttl}. */
    TTL("ttl", null, false),
    /** {@code tlbi.tg}. */
    TG("tg", null, false),
    /** {@code tlbi.addr}, {@code atc.addr}, {@code prefetch.addr} (older kernels). */
    ADDR("addr", null, false),
    /** {@code atc.size}, {@code prefetch.size} (older kernels). */
    SIZE("size", null, false),
    /** {@code atc.global}. */
    GLOBAL("global", null, true),
    /** {@code pri.grpid}. */
    GRPID("grpid", null, false),
    /** {@code pri.resp}, {@code resume.resp}. */
    RESP("resp", null, false),
    /** {@code resume.stag}. */
    STAG("stag", null, false),
    /** {@code sync.msiaddr}. */
    MSIADDR("msiaddr", null, false),
    /** Not a struct field: the queue needs busy polling (Tegra241 VCMDQ), so CMD_SYNC gets CS=NONE. */
    BUSY_POLL("busy_poll", null, true);

    private static final LinuxInputKey[] KEYS = values();

    private final String key;
    private final String alias;
    private final boolean bool;

    LinuxInputKey(final String key, final String alias, final boolean bool)
    {
        this.key = key;
        this.alias = alias;
        this.bool = bool;
    }

    /**
     * @param name a key as written in an input.
     * @return its constant, or null when the kernel has no such input.
     */
    public static LinuxInputKey of(final String name)
    {
        for (final LinuxInputKey k : KEYS)
        {
            if (k.key.equals(name) || name.equals(k.alias))
            {
                return k;
            }
        }
        return null;
    }

    /**
     * @return the key as the vectors write it.
     */
    public String key()
    {
        return key;
    }

    /**
     * @return true for a C {@code bool} member (non-zero means 1).
     */
    public boolean isBool()
    {
        return bool;
    }
}
