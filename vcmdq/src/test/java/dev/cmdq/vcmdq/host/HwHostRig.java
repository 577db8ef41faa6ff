package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.InlineEngineIdleStrategy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.ByteOrder;

/**
 * An iommufd context over one physical SMMU with CMDQV in inline mode (every host wait drives the
 * engine on the caller's thread), one VM's RAM, and an execution that records every command reaching
 * the SMMU's caches together with a probe taken at that moment (e.g. whether a SID slot still matches),
 * so a test can pin what happened before what.
 */
final class HwHostRig implements AutoCloseable
{
    static final long GUEST_BASE = 0x8000_0000L;
    static final int MAX = 1 << 14;

    interface Probe
    {
        long sample();
    }

    final long[] dw0 = new long[MAX];
    final long[] dw1 = new long[MAX];
    final long[] probed = new long[MAX];
    int count;
    Probe probe = () -> 0;
    /** Opcode for which the execution reports {@link #failWith}, or -1. */
    int failOpcode = -1;
    int failWith = CommandError.ATC_INV_SYNC;

    final GuestMemory guest = GuestMemory.allocate(GUEST_BASE, 1 << 20);
    final PhysicalSmmu smmu;
    final Iommufd iommufd;

    HwHostRig(final int maxQueueLog2Size, final long timeoutNs)
    {
        smmu = PhysicalSmmu.builder(this::execute).maxQueueLog2Size(maxQueueLog2Size).build().startInline();
        iommufd = Iommufd.overHardware(VmidPolicy.S2_DOMAIN, HostCmdqStrategy.LINUX_LOCKFREE, CompletionWait.WRITE_BACK,
            new WaitPolicy(timeoutNs, () -> new InlineEngineIdleStrategy(smmu), SystemNanoClock.INSTANCE), smmu);
    }

    HwHostRig()
    {
        this(12, WaitPolicy.DEFAULT_TIMEOUT_NS);
    }

    private int execute(final long d0, final long d1)
    {
        if ((int)(d0 & 0xFF) == failOpcode)
        {
            failOpcode = -1;
            return failWith;
        }
        dw0[count] = d0;
        dw1[count] = d1;
        probed[count] = probe.sample();
        count++;
        return CommandError.NONE;
    }

    int opcode(final int i)
    {
        return (int)(dw0[i] & 0xFF);
    }

    Cmdqv cmdqv()
    {
        return smmu.cmdqv();
    }

    /** Writes one entry into a guest ring at PROD's slot (the guest driver's store). */
    void put(final long ringGpa, final int log2Size, final int prod, final long d0, final long d1)
    {
        final int at = (int)(ringGpa - GUEST_BASE) + ((prod & ((1 << log2Size) - 1)) << 4);
        guest.buffer().putLong(at, d0, ByteOrder.LITTLE_ENDIAN);
        guest.buffer().putLong(at + 8, d1, ByteOrder.LITTLE_ENDIAN);
    }

    int run(final int dutyCycles)
    {
        int work = 0;
        for (int i = 0; i < dutyCycles; i++)
        {
            work += smmu.dutyCycle();
        }
        return work;
    }

    @Override
    public void close()
    {
        iommufd.close();
        smmu.close();
    }
}
