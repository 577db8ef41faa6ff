package dev.cmdq.smmu;

import java.util.List;

import dev.cmdq.smmu.codec.AtcInvDecoder;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import dev.cmdq.smmu.codec.CfgiDecoder;
import dev.cmdq.smmu.codec.CfgiEncoder;
import dev.cmdq.smmu.codec.CmdSyncDecoder;
import dev.cmdq.smmu.codec.CmdSyncEncoder;
import dev.cmdq.smmu.codec.PrefetchDecoder;
import dev.cmdq.smmu.codec.PrefetchEncoder;
import dev.cmdq.smmu.codec.PriRespDecoder;
import dev.cmdq.smmu.codec.PriRespEncoder;
import dev.cmdq.smmu.codec.ResumeDecoder;
import dev.cmdq.smmu.codec.ResumeEncoder;
import dev.cmdq.smmu.codec.StallTermDecoder;
import dev.cmdq.smmu.codec.StallTermEncoder;
import dev.cmdq.smmu.codec.TlbiDecoder;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Test-side access to the typed encoders and decoders by field name, written against their public
 * API (setter and getter names), so tests can drive every family from the reference table.
 */
public final class TypedCodecs
{
    private final PrefetchEncoder prefetchEncoder = new PrefetchEncoder();
    private final CfgiEncoder cfgiEncoder = new CfgiEncoder();
    private final TlbiEncoder tlbiEncoder = new TlbiEncoder();
    private final AtcInvEncoder atcInvEncoder = new AtcInvEncoder();
    private final PriRespEncoder priRespEncoder = new PriRespEncoder();
    private final ResumeEncoder resumeEncoder = new ResumeEncoder();
    private final StallTermEncoder stallTermEncoder = new StallTermEncoder();
    private final CmdSyncEncoder cmdSyncEncoder = new CmdSyncEncoder();
    private final PrefetchDecoder prefetchDecoder = new PrefetchDecoder();
    private final CfgiDecoder cfgiDecoder = new CfgiDecoder();
    private final TlbiDecoder tlbiDecoder = new TlbiDecoder();
    private final AtcInvDecoder atcInvDecoder = new AtcInvDecoder();
    private final PriRespDecoder priRespDecoder = new PriRespDecoder();
    private final ResumeDecoder resumeDecoder = new ResumeDecoder();
    private final StallTermDecoder stallTermDecoder = new StallTermDecoder();
    private final CmdSyncDecoder cmdSyncDecoder = new CmdSyncDecoder();

    /**
     * @param family a family.
     * @return the names of its encoder's setters.
     */
    public static List<String> setters(final CommandFamily family)
    {
        switch (family)
        {
            case PREFETCH: return List.of("sid", "ssid", "ssv", "ssec", "size", "addr");
            case CFGI: return List.of("sid", "ssid", "leaf", "range", "vmid", "ssec");
            case TLBI: return List.of("vmid", "asid", "num", "scale", "leaf", "ttl", "tg", "addr");
            case ATC_INV: return List.of("sid", "ssid", "ssv", "global", "size", "addr");
            case PRI_RESP: return List.of("sid", "ssid", "ssv", "grpid", "resp");
            case RESUME: return List.of("sid", "resp", "stag", "ssec");
            case STALL_TERM: return List.of("sid", "ssec");
            case CMD_SYNC: return List.of("cs", "msh", "msiattr", "msidata", "msiaddr");
            default: throw new IllegalArgumentException(family.name());
        }
    }

    /**
     * @param family a family.
     * @return the names of its decoder's getters (the setters plus RESUME's ac/ab views).
     */
    public static List<String> getters(final CommandFamily family)
    {
        return family == CommandFamily.RESUME ? List.of("sid", "resp", "stag", "ssec", "ac", "ab") : setters(family);
    }

    /**
     * Wraps the family encoder over the slot (which writes the opcode and zeros).
     *
     * @param buffer slot buffer.
     * @param offset slot offset.
     * @param opcode the command.
     */
    public void wrap(final MutableDirectBuffer buffer, final int offset, final Opcode opcode)
    {
        switch (opcode.family())
        {
            case PREFETCH: prefetchEncoder.wrap(buffer, offset, opcode); break;
            case CFGI: cfgiEncoder.wrap(buffer, offset, opcode); break;
            case TLBI: tlbiEncoder.wrap(buffer, offset, opcode); break;
            case ATC_INV: atcInvEncoder.wrap(buffer, offset); break;
            case PRI_RESP: priRespEncoder.wrap(buffer, offset); break;
            case RESUME: resumeEncoder.wrap(buffer, offset); break;
            case STALL_TERM: stallTermEncoder.wrap(buffer, offset); break;
            case CMD_SYNC: cmdSyncEncoder.wrap(buffer, offset); break;
            default: throw new IllegalArgumentException(opcode.name());
        }
    }

    /**
     * Calls one setter of the encoder last wrapped. Flags take {@code value != 0}.
     *
     * @param family the family of the wrapped command.
     * @param name   setter name.
     * @param value  value (right-aligned, or the address in place).
     */
    public void set(final CommandFamily family, final String name, final long value)
    {
        final boolean flag = value != 0;
        final int v = (int)value;
        switch (family)
        {
            case PREFETCH:
                switch (name)
                {
                    case "sid": prefetchEncoder.sid(value); return;
                    case "ssid": prefetchEncoder.ssid(v); return;
                    case "ssv": prefetchEncoder.ssv(flag); return;
                    case "ssec": prefetchEncoder.ssec(flag); return;
                    case "size": prefetchEncoder.size(v); return;
                    case "addr": prefetchEncoder.addr(value); return;
                    default: break;
                }
                break;
            case CFGI:
                switch (name)
                {
                    case "sid": cfgiEncoder.sid(value); return;
                    case "ssid": cfgiEncoder.ssid(v); return;
                    case "leaf": cfgiEncoder.leaf(flag); return;
                    case "range": cfgiEncoder.range(v); return;
                    case "vmid": cfgiEncoder.vmid(v); return;
                    case "ssec": cfgiEncoder.ssec(flag); return;
                    default: break;
                }
                break;
            case TLBI:
                switch (name)
                {
                    case "vmid": tlbiEncoder.vmid(v); return;
                    case "asid": tlbiEncoder.asid(v); return;
                    case "num": tlbiEncoder.num(v); return;
                    case "scale": tlbiEncoder.scale(v); return;
                    case "leaf": tlbiEncoder.leaf(flag); return;
                    case "ttl": tlbiEncoder.ttl(v); return;
                    case "tg": tlbiEncoder.tg(v); return;
                    case "addr": tlbiEncoder.addr(value); return;
                    default: break;
                }
                break;
            case ATC_INV:
                switch (name)
                {
                    case "sid": atcInvEncoder.sid(value); return;
                    case "ssid": atcInvEncoder.ssid(v); return;
                    case "ssv": atcInvEncoder.ssv(flag); return;
                    case "global": atcInvEncoder.global(flag); return;
                    case "size": atcInvEncoder.size(v); return;
                    case "addr": atcInvEncoder.addr(value); return;
                    default: break;
                }
                break;
            case PRI_RESP:
                switch (name)
                {
                    case "sid": priRespEncoder.sid(value); return;
                    case "ssid": priRespEncoder.ssid(v); return;
                    case "ssv": priRespEncoder.ssv(flag); return;
                    case "grpid": priRespEncoder.grpid(v); return;
                    case "resp": priRespEncoder.resp(v); return;
                    default: break;
                }
                break;
            case RESUME:
                switch (name)
                {
                    case "sid": resumeEncoder.sid(value); return;
                    case "resp": resumeEncoder.resp(v); return;
                    case "stag": resumeEncoder.stag(v); return;
                    case "ssec": resumeEncoder.ssec(flag); return;
                    default: break;
                }
                break;
            case STALL_TERM:
                switch (name)
                {
                    case "sid": stallTermEncoder.sid(value); return;
                    case "ssec": stallTermEncoder.ssec(flag); return;
                    default: break;
                }
                break;
            case CMD_SYNC:
                switch (name)
                {
                    case "cs": cmdSyncEncoder.cs(v); return;
                    case "msh": cmdSyncEncoder.msh(v); return;
                    case "msiattr": cmdSyncEncoder.msiAttr(v); return;
                    case "msidata": cmdSyncEncoder.msiData(value); return;
                    case "msiaddr": cmdSyncEncoder.msiAddr(value); return;
                    default: break;
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("no setter " + name + " for " + family);
    }

    /**
     * Wraps the family decoder and reads one field. Flags give 0/1.
     *
     * @param buffer slot buffer.
     * @param offset slot offset.
     * @param family the family of the command in the slot.
     * @param name   getter name.
     * @return the value (right-aligned, or the address in place).
     */
    public long get(final DirectBuffer buffer, final int offset, final CommandFamily family, final String name)
    {
        switch (family)
        {
            case PREFETCH:
            {
                final PrefetchDecoder d = prefetchDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "ssid": return d.ssid();
                    case "ssv": return d.ssv() ? 1 : 0;
                    case "ssec": return d.ssec() ? 1 : 0;
                    case "size": return d.size();
                    case "addr": return d.addr();
                    default: break;
                }
                break;
            }
            case CFGI:
            {
                final CfgiDecoder d = cfgiDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "ssid": return d.ssid();
                    case "leaf": return d.leaf() ? 1 : 0;
                    case "range": return d.range();
                    case "vmid": return d.vmid();
                    case "ssec": return d.ssec() ? 1 : 0;
                    default: break;
                }
                break;
            }
            case TLBI:
            {
                final TlbiDecoder d = tlbiDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "vmid": return d.vmid();
                    case "asid": return d.asid();
                    case "num": return d.num();
                    case "scale": return d.scale();
                    case "leaf": return d.leaf() ? 1 : 0;
                    case "ttl": return d.ttl();
                    case "tg": return d.tg();
                    case "addr": return d.addr();
                    default: break;
                }
                break;
            }
            case ATC_INV:
            {
                final AtcInvDecoder d = atcInvDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "ssid": return d.ssid();
                    case "ssv": return d.ssv() ? 1 : 0;
                    case "global": return d.global() ? 1 : 0;
                    case "size": return d.size();
                    case "addr": return d.addr();
                    default: break;
                }
                break;
            }
            case PRI_RESP:
            {
                final PriRespDecoder d = priRespDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "ssid": return d.ssid();
                    case "ssv": return d.ssv() ? 1 : 0;
                    case "grpid": return d.grpid();
                    case "resp": return d.resp();
                    default: break;
                }
                break;
            }
            case RESUME:
            {
                final ResumeDecoder d = resumeDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "resp": return d.resp();
                    case "stag": return d.stag();
                    case "ssec": return d.ssec() ? 1 : 0;
                    case "ac": return d.ac() ? 1 : 0;
                    case "ab": return d.ab() ? 1 : 0;
                    default: break;
                }
                break;
            }
            case STALL_TERM:
            {
                final StallTermDecoder d = stallTermDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "sid": return d.sid();
                    case "ssec": return d.ssec() ? 1 : 0;
                    default: break;
                }
                break;
            }
            case CMD_SYNC:
            {
                final CmdSyncDecoder d = cmdSyncDecoder.wrap(buffer, offset);
                switch (name)
                {
                    case "cs": return d.cs();
                    case "msh": return d.msh();
                    case "msiattr": return d.msiAttr();
                    case "msidata": return d.msiData();
                    case "msiaddr": return d.msiAddr();
                    default: break;
                }
                break;
            }
            default:
                break;
        }
        throw new IllegalArgumentException("no getter " + name + " for " + family);
    }
}
