package dev.cmdq.vcmdq.guest;

import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.smmu.CmdSyncLayout;
import dev.cmdq.smmu.text.CommandParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The vectors' {@code inputs} column (linux-unmap-sequences.md §7) read into an {@link UnmapRequest}
 * plus the two queue properties it also carries, {@code force_sync} and {@code sync_cs}.
 *
 * <pre>
 *  tlb_inv_range_asid    iova size granule leaf pgsize range_inv asid vmid                 force_sync sync_cs
 *  tlb_inv_range_domain  iova size granule leaf pgsize range_inv asid vmid ats [sid ssid]  force_sync sync_cs
 *  atc_inv               sid ssid iova size                                                force_sync sync_cs
 *  tlb_inv_context       asid vmid ats [sid ssid]                                          force_sync sync_cs
 *                        [sid ssid] present exactly when ats=1
 * </pre>
 *
 * Values are {@code 0x}-hex or decimal. Flags must be 0 or 1; {@code sync_cs} 2 (SEV, main CMDQ) or 0
 * (NONE, Tegra241 guest VCMDQ). A key the op does not have, a repeated key, a missing key or a value out
 * of its field's range is an error naming the key; the order of keys is not checked. Reusable; not
 * thread-safe.
 */
public final class UnmapInputs
{
    private static final List<String> RANGE_KEYS =
        List.of("iova", "size", "granule", "leaf", "pgsize", "range_inv", "asid", "vmid");
    private static final List<String> QUEUE_KEYS = List.of("force_sync", "sync_cs");

    private final List<String> seen = new ArrayList<>();
    private boolean forceSync;
    private int syncCs;

    /**
     * Fills {@code request} from {@code inputs}.
     *
     * @param op      the row's op.
     * @param inputs  the {@code inputs} text.
     * @param request filled in place (op set, every other field set from a key or reset to 0).
     * @return this, with {@link #forceSync()} and {@link #syncCs()} set.
     * @throws IllegalArgumentException naming the key that is unknown, repeated, missing or out of range.
     */
    public UnmapInputs parse(final UnmapOp op, final String inputs, final UnmapRequest request)
    {
        Objects.requireNonNull(op, "op");
        seen.clear();
        request.op(op).iova(0).size(0).granule(0x1000).leaf(false).pageSize(0x1000).rangeInvalidation(false)
            .asid(0).vmid(0).ats(false).sid(0).ssid(0);
        forceSync = false;
        syncCs = -1;
        if (!inputs.isEmpty())
        {
            for (final String pair : inputs.split(";", -1))
            {
                final int eq = pair.indexOf('=');
                if (eq <= 0)
                {
                    throw new IllegalArgumentException("input '" + pair + "' is not name=value");
                }
                final String key = pair.substring(0, eq).trim();
                if (!allowed(op, key))
                {
                    throw new IllegalArgumentException("unknown input key '" + key + "' for op " + op.csvName());
                }
                if (seen.contains(key))
                {
                    throw new IllegalArgumentException("input key '" + key + "' given twice");
                }
                seen.add(key);
                apply(request, key, CommandParser.parseValue(key, pair.substring(eq + 1).trim()));
            }
        }
        for (final String key : required(op, request.ats()))
        {
            if (!seen.contains(key))
            {
                throw new IllegalArgumentException("input key '" + key + "' missing for op " + op.csvName());
            }
        }
        if (op.hasDomainAts() && !request.ats() && (seen.contains("sid") || seen.contains("ssid")))
        {
            throw new IllegalArgumentException("input keys sid/ssid given with ats=0 for op " + op.csvName());
        }
        return this;
    }

    /**
     * @return the FORCE_SYNC option of the row.
     */
    public boolean forceSync()
    {
        return forceSync;
    }

    /**
     * @return the CS value of every CMD_SYNC of the row: {@link CmdSyncLayout#CS_SEV} or {@link CmdSyncLayout#CS_NONE}.
     */
    public int syncCs()
    {
        return syncCs;
    }

    /**
     * @return the completion entry writing that CMD_SYNC: {@link CmdSyncCompletion#LINUX} without write-back
     *         (CS=SEV) or {@link CmdSyncCompletion#BUSY_POLL} (CS=NONE).
     */
    public CmdSyncCompletion completion()
    {
        return syncCs == CmdSyncLayout.CS_NONE ? CmdSyncCompletion.BUSY_POLL : CmdSyncCompletion.LINUX;
    }

    private static boolean allowed(final UnmapOp op, final String key)
    {
        if (QUEUE_KEYS.contains(key))
        {
            return true;
        }
        switch (op)
        {
            case TLB_INV_RANGE_ASID:
                return RANGE_KEYS.contains(key);
            case TLB_INV_RANGE_DOMAIN:
                return RANGE_KEYS.contains(key) || key.equals("ats") || key.equals("sid") || key.equals("ssid");
            case ATC_INV:
                return key.equals("sid") || key.equals("ssid") || key.equals("iova") || key.equals("size");
            case TLB_INV_CONTEXT:
                return key.equals("asid") || key.equals("vmid") || key.equals("ats") || key.equals("sid") || key.equals("ssid");
            default:
                return false;
        }
    }

    private static List<String> required(final UnmapOp op, final boolean ats)
    {
        final List<String> keys = new ArrayList<>(QUEUE_KEYS);
        switch (op)
        {
            case TLB_INV_RANGE_ASID:
                keys.addAll(RANGE_KEYS);
                break;
            case TLB_INV_RANGE_DOMAIN:
                keys.addAll(RANGE_KEYS);
                keys.add("ats");
                break;
            case ATC_INV:
                keys.addAll(List.of("sid", "ssid", "iova", "size"));
                break;
            case TLB_INV_CONTEXT:
                keys.addAll(List.of("asid", "vmid", "ats"));
                break;
            default:
                break;
        }
        if (ats)
        {
            keys.addAll(List.of("sid", "ssid"));
        }
        return keys;
    }

    private void apply(final UnmapRequest request, final String key, final long value)
    {
        switch (key)
        {
            case "iova": request.iova(value); break;
            case "size": request.size(value); break;
            case "granule": request.granule(value); break;
            case "leaf": request.leaf(flag(key, value)); break;
            case "pgsize": request.pageSize(value); break;
            case "range_inv": request.rangeInvalidation(flag(key, value)); break;
            case "asid": request.asid(value); break;
            case "vmid": request.vmid(value); break;
            case "ats": request.ats(flag(key, value)); break;
            case "sid": request.sid(value); break;
            case "ssid": request.ssid(value); break;
            case "force_sync": forceSync = flag(key, value); break;
            case "sync_cs":
                if (value != CmdSyncLayout.CS_SEV && value != CmdSyncLayout.CS_NONE)
                {
                    throw new IllegalArgumentException("sync_cs=" + value + " is not 2 (SEV) or 0 (NONE); CS=IRQ " +
                        "(MSI write-back) is not modelled, its MSIADDR depends on the queue slot");
                }
                syncCs = (int)value;
                break;
            default:
                throw new IllegalArgumentException("unknown input key '" + key + "'");
        }
    }

    private static boolean flag(final String key, final long value)
    {
        if (value != 0 && value != 1)
        {
            throw new IllegalArgumentException(key + "=" + value + " is not 0 or 1");
        }
        return value == 1;
    }
}
