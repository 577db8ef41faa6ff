package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.ConsRegister;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.TlbiLayout;
import dev.cmdq.smmu.validate.CommandValidator;
import dev.cmdq.smmu.validate.QueueKind;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The engine's side of one VCMDQ: the enable handshake, the ring view, a {@link QueueConsumer} while
 * enabled, the error-map bookkeeping, and — as its {@link EntryHandler} — the VINTF rules applied to
 * every entry (vcmdq-viommu.md §1.8, §2):
 * <pre>
 *  HYP_OWN=1 (host VINTF): host VCMDQ rules, words unchanged
 *  HYP_OWN=0 (guest VINTF): guest allow-list, else policy.forbiddenCommandError
 *       TLBI_NH_ASID / TLBI_NH_VA : dword0.VMID := VINTF CONFIG.VMID
 *       ATC_INV                   : dword0.SID  := SID_REPLACE of the slot matching it,
 *                                   no slot -> policy.unmatchedSidError
 *  -> CommandExecution.execute(dword0, dword1)      (substituted copy; guest memory never written)
 * </pre>
 * Engine thread only; nothing here is shared. The consumer is created at enable (the only allocation,
 * outside the hot path).
 */
final class VcmdqPort implements EntryHandler
{
    private final Cmdqv cmdqv;
    private final Vcmdq vcmdq;
    private final MappedQueueRegisters registers;
    private final HardwarePolicy policy;
    private final CommandExecution execution;

    private boolean on;
    private boolean initFailed;
    private boolean inError;
    private int vintf;
    private int lvcmdq;
    private ExternalRingMemory ring;
    private QueueConsumer consumer;

    VcmdqPort(final Cmdqv cmdqv, final Vcmdq vcmdq, final HardwarePolicy policy, final CommandExecution execution)
    {
        this.cmdqv = cmdqv;
        this.vcmdq = vcmdq;
        this.registers = vcmdq.registers();
        this.policy = policy;
        this.execution = execution;
    }

    /**
     * Follows CONFIG.CMDQ_EN.
     *
     * @return 1 when the queue was started or stopped, else 0.
     */
    int poll()
    {
        final boolean wanted = (vcmdq.config() & VcmdqLayout.CMDQ_EN) != 0;
        if (wanted == on)
        {
            if (!wanted)
            {
                initFailed = false;
            }
            return 0;
        }
        if (wanted)
        {
            return start();
        }
        stop();
        return 1;
    }

    /**
     * One turn of the arbiter.
     *
     * @param quantum most entries to consume.
     * @return entries consumed.
     */
    int drain(final int quantum)
    {
        if (!on)
        {
            return 0;
        }
        final QueueConsumer consumer = this.consumer;
        if (consumer == null)
        {
            retryFetch();
            return 0;
        }
        final boolean wasHalted = consumer.isHalted();
        final long haltsBefore = consumer.halts();
        final int done = consumer.drain(quantum);
        final boolean newHalt = consumer.halts() != haltsBefore;
        if (wasHalted && (newHalt || !consumer.isHalted()))
        {
            clearError();
        }
        if (newHalt)
        {
            markError();
        }
        return done;
    }

    @Override
    public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        long dword0 = CommandWords.dword0(buffer, offset);
        final long dword1 = CommandWords.dword1(buffer, offset);
        final int config = cmdqv.vintfConfig(vintf);
        if ((config & CmdqvLayout.HYP_OWN) != 0)
        {
            final int error = CommandValidator.validate(dword0, dword1, QueueKind.HOST_VCMDQ, policy.reservedBits());
            return error != CommandError.NONE ? error : execution.execute(dword0, dword1);
        }
        final int error = CommandValidator.validate(dword0, dword1, QueueKind.GUEST_VCMDQ, policy.reservedBits());
        if (error == CommandError.ILL_ACCESS)
        {
            return policy.forbiddenCommandError();
        }
        if (error != CommandError.NONE)
        {
            return error;
        }
        final int opcode = (int)(dword0 & CommandLayout.OPCODE_MASK);
        if (opcode == Opcode.TLBI_NH_ASID.value() || opcode == Opcode.TLBI_NH_VA.value())
        {
            dword0 = (dword0 & ~TlbiLayout.VMID_MASK) | ((long)CmdqvLayout.vmid(config) << TlbiLayout.VMID_SHIFT);
        }
        else if (opcode == Opcode.ATC_INV.value())
        {
            final long psid = cmdqv.lookupSid(vintf, dword0 >>> CommandLayout.SID_SHIFT);
            if (psid == Cmdqv.NO_MATCH)
            {
                return policy.unmatchedSidError();
            }
            dword0 = (dword0 & ~CommandLayout.SID_MASK) | (psid << CommandLayout.SID_SHIFT);
        }
        return execution.execute(dword0, dword1);
    }

    boolean isOn()
    {
        return on;
    }

    void close()
    {
        if (on)
        {
            stop();
        }
    }

    private int start()
    {
        if (initFailed)
        {
            return 0;
        }
        final int alloc = cmdqv.cmdqAlloc(vcmdq.index());
        final int v = CmdqvLayout.allocVintf(alloc);
        if (!cmdqv.isEnabled() || (alloc & CmdqvLayout.ALLOCATED) == 0 || v >= cmdqv.numVintfs() ||
            (cmdqv.vintfStatus(v) & CmdqvLayout.ENABLE) == 0)
        {
            initFailed = true;
            raise(VcmdqLayout.CMDQ_INIT_ERR);
            return 1;
        }
        vintf = v;
        lvcmdq = CmdqvLayout.allocLvcmdq(alloc);
        on = true;
        openRing();
        vcmdq.putStatusRelease(VcmdqLayout.CMDQ_EN);
        return 1;
    }

    private void stop()
    {
        if (consumer != null)
        {
            consumer.close();
            consumer = null;
        }
        if (ring != null)
        {
            ring.close();
            ring = null;
        }
        if (inError)
        {
            clearError();
        }
        on = false;
        vcmdq.putStatusRelease(0);
    }

    private void openRing()
    {
        final GuestMemory memory = vcmdq.memory();
        final long base = vcmdq.base();
        final long address = VcmdqLayout.address(base);
        final int log2Size = VcmdqLayout.log2Size(base);
        if (memory == null || log2Size < 1 || log2Size > QueueIndex.MAX_LOG2_SIZE ||
            !memory.contains(address, (long)QueueIndex.capacity(log2Size) << RingMemory.ENTRY_SHIFT))
        {
            fetchAbort();
            return;
        }
        ring = memory.ring(address, log2Size);
        consumer = new QueueConsumer(ring, registers, this, null, policy.quantum());
    }

    private void fetchAbort()
    {
        // CONS stays where it is, with ERR=ABT; GERROR after CONS, as QueueConsumer halts.
        registers.putConsRelease(ConsRegister.withErr(registers.getConsAcquire(), CommandError.ABT));
        raise(GlobalError.CMDQ_ERR);
        markError();
    }

    private void retryFetch()
    {
        final int active = GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire());
        if ((active & GlobalError.CMDQ_ERR) == 0)
        {
            clearError();
            openRing();
        }
    }

    private void markError()
    {
        inError = true;
        cmdqv.markError(vcmdq.index(), vintf, lvcmdq);
    }

    private void clearError()
    {
        if (inError)
        {
            inError = false;
            cmdqv.clearError(vcmdq.index(), vintf, lvcmdq);
        }
    }

    private void raise(final int bits)
    {
        final int gerror = registers.getGerrorAcquire();
        final int raised = GlobalError.raise(gerror, registers.getGerrornAcquire(), bits);
        if (raised != gerror)
        {
            registers.putGerrorRelease(raised);
        }
    }
}
