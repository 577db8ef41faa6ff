package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.GuestMemory;

/**
 * One physical SMMU in inline mode with a recording execution and one VM's RAM, plus the host's
 * programming steps as a test writes them out (CMDQV enable, VINTF config, CMDQ_ALLOC, BASE, SID slots,
 * VCMDQ enable). Default geometry: 4 VINTFs, 8 VCMDQs (2 per VINTF).
 */
final class HwRig implements AutoCloseable
{
    static final long GUEST_BASE = 0x8000_0000L;
    static final int GUEST_BYTES = 1 << 20;

    final RecordingExecution exec = new RecordingExecution();
    final GuestMemory guest = GuestMemory.allocate(GUEST_BASE, GUEST_BYTES);
    final PhysicalSmmu smmu;
    final Cmdqv cmdqv;
    final TestRing main;

    HwRig(final HardwarePolicy policy)
    {
        smmu = PhysicalSmmu.builder(exec).policy(policy).build().startInline();
        cmdqv = smmu.cmdqv();
        cmdqv.writeConfig(CmdqvLayout.ENABLE);
        main = new TestRing(smmu.mainCmdqMemory().buffer(), 0, smmu.mainCmdqRegisters(), smmu.mainCmdqMemory().log2Size());
    }

    HwRig()
    {
        this(HardwarePolicy.DEFAULT);
    }

    void vintf(final int vintf, final int vmid, final boolean hypOwn)
    {
        cmdqv.writeVintfConfig(vintf, CmdqvLayout.vintfConfig(vmid, hypOwn, true));
    }

    /** Maps VCMDQ (vintf, lvcmdq) with its ring at {@code gpa}, enables it and runs the engine once. */
    TestRing vcmdq(final int vintf, final int lvcmdq, final long gpa, final int log2Size)
    {
        final Vcmdq q = map(vintf, lvcmdq, gpa, log2Size);
        q.writeConfig(VcmdqLayout.CMDQ_EN);
        smmu.dutyCycle();
        assertTrue(q.isEnabled(), q + " must be enabled");
        return new TestRing(guest.buffer(), (int)(gpa - GUEST_BASE), q.registers(), log2Size);
    }

    /** Maps VCMDQ (vintf, lvcmdq) with BASE = gpa | log2Size, not enabled. */
    Vcmdq map(final int vintf, final int lvcmdq, final long gpa, final int log2Size)
    {
        final int q = cmdqv.globalIndex(vintf, lvcmdq);
        cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(vintf, lvcmdq, true));
        final Vcmdq vcmdq = cmdqv.vcmdq(q);
        vcmdq.attachMemory(guest);
        vcmdq.writeBase(VcmdqLayout.base(gpa, log2Size));
        return vcmdq;
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
        smmu.close();
    }
}
