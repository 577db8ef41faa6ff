package dev.cmdq.smmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.smmu.codec.AtcInvDecoder;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import dev.cmdq.smmu.codec.CfgiDecoder;
import dev.cmdq.smmu.codec.CfgiEncoder;
import dev.cmdq.smmu.codec.CmdSyncDecoder;
import dev.cmdq.smmu.codec.CmdSyncEncoder;
import dev.cmdq.smmu.codec.CommandDecoder;
import dev.cmdq.smmu.codec.TlbiDecoder;
import dev.cmdq.smmu.codec.TlbiEncoder;
import dev.cmdq.smmu.text.CommandPrinter;
import dev.cmdq.smmu.validate.CommandValidator;
import dev.cmdq.smmu.validate.QueueKind;
import dev.cmdq.smmu.validate.ReservedBits;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A warm loop of encode, decode, validate, opcode lookup, completion write/read and printing into a
 * reused builder allocates nothing, measured with the thread's allocated-bytes counter.
 */
class ZeroAllocationTest
{
    private static final int SLOTS = 256;

    private final UnsafeBuffer ring = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(SLOTS * 16));
    private final TlbiEncoder tlbiEncoder = new TlbiEncoder();
    private final TlbiDecoder tlbiDecoder = new TlbiDecoder();
    private final AtcInvEncoder atcEncoder = new AtcInvEncoder();
    private final AtcInvDecoder atcDecoder = new AtcInvDecoder();
    private final CmdSyncEncoder syncEncoder = new CmdSyncEncoder();
    private final CmdSyncDecoder syncDecoder = new CmdSyncDecoder();
    private final CfgiEncoder cfgiEncoder = new CfgiEncoder();
    private final CfgiDecoder cfgiDecoder = new CfgiDecoder();
    private final CommandDecoder anyDecoder = new CommandDecoder();
    private final CommandValidator validator = new CommandValidator(QueueKind.GUEST_VCMDQ, ReservedBits.CHECKED);
    private final StringBuilder line = new StringBuilder(256);
    private long sink;

    @Test
    void warmCodecLoopAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final long threadId = Thread.currentThread().getId();
        // Warm up until the JIT has compiled the loop (the first rounds see compiler and class-init
        // allocations, e.g. 179,472 then 72 bytes).
        run(600_000);
        // A per-iteration allocation would show in every round; JIT activity may still touch one
        // round, so the quietest of three must be exactly 0.
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            run(200_000);
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(threadId) - before);
        }
        assertTrue(sink != 0);
        assertEquals(0, fewest, "bytes allocated by 200,000 warm iterations");
    }

    private void run(final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            loop(i);
        }
    }

    private void loop(final int i)
    {
        final int offset = (i & (SLOTS - 1)) * 16;
        final Opcode opcode = Opcode.of(i & 0xFF);
        sink += opcode.value();
        switch (i & 3)
        {
            case 0:
                tlbiEncoder.wrap(ring, offset, Opcode.TLBI_NH_VA).vmid(i).asid(i >>> 3).addr((long)i << 12)
                    .num(i).scale(i >>> 5).tg(1).ttl(3).leaf(true);
                tlbiDecoder.wrap(ring, offset);
                sink += tlbiDecoder.vmid() + tlbiDecoder.asid() + tlbiDecoder.addr() + tlbiDecoder.num() +
                    tlbiDecoder.scale() + tlbiDecoder.tg() + tlbiDecoder.ttl() + (tlbiDecoder.leaf() ? 1 : 0);
                break;
            case 1:
                atcEncoder.wrap(ring, offset).sid(i).ssid(i).ssv(true).global(false).size(i & 63).addr((long)i << 12);
                atcDecoder.wrap(ring, offset);
                sink += atcDecoder.sid() + atcDecoder.ssid() + atcDecoder.size() + atcDecoder.addr() + (atcDecoder.ssv() ? 1 : 0);
                break;
            case 2:
                syncEncoder.linux(ring, offset, (i & 1) == 0 ? 0 : 0x1000L + offset, false);
                syncDecoder.wrap(ring, offset);
                sink += syncDecoder.cs() + syncDecoder.msiAddr() + syncDecoder.msh();
                CmdSyncCompletion.LINUX.write(ring, offset, CompletionEntry.NO_WRITE_BACK);
                sink += CmdSyncCompletion.LINUX.writeBackAddress(ring, offset);
                break;
            default:
                cfgiEncoder.wrap(ring, offset, Opcode.CFGI_CD).sid(i).ssid(i).leaf(true);
                cfgiDecoder.wrap(ring, offset);
                sink += cfgiDecoder.sid() + cfgiDecoder.ssid() + (cfgiDecoder.leaf() ? 1 : 0);
                break;
        }
        sink += validator.validate(ring, offset);
        sink += anyDecoder.wrap(ring, offset).opcode().ordinal();
        line.setLength(0);
        CommandPrinter.print(ring, offset, line);
        sink += line.length();
    }
}
