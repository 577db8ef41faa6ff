package dev.cmdq.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.AtcInvDecoder;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import dev.cmdq.smmu.codec.CmdSyncDecoder;
import dev.cmdq.smmu.codec.CmdSyncEncoder;
import dev.cmdq.smmu.codec.TlbiDecoder;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of encoding one command into a ring slot and decoding every field back, for the common
 * invalidations: TLBI_NH_VA, ATC_INV and CMD_SYNC (Linux form). Single-threaded; the slot moves
 * through a 64-entry off-heap ring and the field values change every call so nothing constant-folds.
 * Run with {@code -prof gc} to see the allocation rate (expected 0 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CommandCodecBenchmark
{
    private static final int SLOTS = 64;

    private final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOTS * 16));
    private final TlbiEncoder tlbiEncoder = new TlbiEncoder();
    private final TlbiDecoder tlbiDecoder = new TlbiDecoder();
    private final AtcInvEncoder atcInvEncoder = new AtcInvEncoder();
    private final AtcInvDecoder atcInvDecoder = new AtcInvDecoder();
    private final CmdSyncEncoder cmdSyncEncoder = new CmdSyncEncoder();
    private final CmdSyncDecoder cmdSyncDecoder = new CmdSyncDecoder();
    private int counter;

    /**
     * @return TLBI_NH_VA encode + decode of all eight fields.
     */
    @Benchmark
    public long tlbiNhVa()
    {
        final int i = counter++;
        final int offset = (i & (SLOTS - 1)) << 4;
        tlbiEncoder.wrap(ring, offset, Opcode.TLBI_NH_VA)
            .vmid(i).asid(i >>> 4).addr(0x7f00_0000_0000L + ((long)i << 12))
            .num(i).scale(i >>> 5).tg(1).ttl(3).leaf((i & 1) != 0);
        final TlbiDecoder d = tlbiDecoder.wrap(ring, offset);
        return d.vmid() + d.asid() + d.addr() + d.num() + d.scale() + d.tg() + d.ttl() + (d.leaf() ? 1 : 0);
    }

    /**
     * @return ATC_INV encode + decode of all six fields.
     */
    @Benchmark
    public long atcInv()
    {
        final int i = counter++;
        final int offset = (i & (SLOTS - 1)) << 4;
        atcInvEncoder.wrap(ring, offset)
            .sid(i).ssid(i >>> 3).ssv((i & 1) != 0).global(false).size(i & 0x3F).addr((long)i << 12);
        final AtcInvDecoder d = atcInvDecoder.wrap(ring, offset);
        return d.sid() + d.ssid() + (d.ssv() ? 1 : 0) + (d.global() ? 2 : 0) + d.size() + d.addr();
    }

    /**
     * @return CMD_SYNC (Linux: CS by address, MSH, MSIATTR) encode + decode of all five fields.
     */
    @Benchmark
    public long cmdSync()
    {
        final int i = counter++;
        final int offset = (i & (SLOTS - 1)) << 4;
        cmdSyncEncoder.linux(ring, offset, (i & 1) == 0 ? 0 : 0x8_0000_0000L + offset, false);
        final CmdSyncDecoder d = cmdSyncDecoder.wrap(ring, offset);
        return d.cs() + d.msh() + d.msiAttr() + d.msiData() + d.msiAddr();
    }
}
