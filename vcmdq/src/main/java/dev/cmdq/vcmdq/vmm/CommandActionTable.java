package dev.cmdq.vcmdq.vmm;

import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.Opcode;

/**
 * The trap handler's one table: opcode (dword0 bits 7:0) → {@link CommandAction}, typed from QEMU's
 * consume loop (smmuv3-cmdq.md §5.2) for an accelerated, stage-1-only vSMMU (§5.3).
 *
 * <pre>
 *   opcode                                   action
 *   0x46 CMD_SYNC                            SYNC
 *   0x40 ATC_INV, 0x05 CFGI_CD, 0x06 CD_ALL  FORWARD_BY_SID
 *   0x10..0x13 TLBI_NH_*, 0x30 NSNH_ALL      FORWARD_TO_ALL
 *   0x03 CFGI_STE                            REINSTALL_STE
 *   0x04 CFGI_STE_RANGE                      REINSTALL_STE_RANGE
 *   0x01/0x02 PREFETCH, 0x18/0x1A EL3,       IGNORE
 *   0x20..0x23 EL2, 0x41 PRI_RESP,
 *   0x44 RESUME, 0x45 STALL_TERM
 *   0x28 S12_VMALL, 0x2A S2_IPA              ILLEGAL (no stage 2 is offered: accel is stage 1 only)
 *   0x07 and every other value               ILLEGAL (QEMU's default branch, §7.2)
 *   any opcode with an SSEC field and SSec=1 ILLEGAL (a non-secure queue)
 * </pre>
 *
 * The SSec rule is applied to every opcode that has the field (the architecture's rule for a
 * non-secure command queue); QEMU checks it only on the CFGI commands and ignores PREFETCH, RESUME and
 * STALL_TERM whatever their SSec — the one deliberate difference.
 */
public final class CommandActionTable
{
    private static final CommandAction[] BY_OPCODE = new CommandAction[256];
    private static final boolean[] HAS_SSEC = new boolean[256];

    static
    {
        java.util.Arrays.fill(BY_OPCODE, CommandAction.ILLEGAL);
        put(CommandAction.SYNC, Opcode.CMD_SYNC);
        put(CommandAction.FORWARD_BY_SID, Opcode.ATC_INV, Opcode.CFGI_CD, Opcode.CFGI_CD_ALL);
        put(CommandAction.FORWARD_TO_ALL,
            Opcode.TLBI_NH_ALL, Opcode.TLBI_NH_ASID, Opcode.TLBI_NH_VA, Opcode.TLBI_NH_VAA, Opcode.TLBI_NSNH_ALL);
        put(CommandAction.REINSTALL_STE, Opcode.CFGI_STE);
        put(CommandAction.REINSTALL_STE_RANGE, Opcode.CFGI_STE_RANGE);
        put(CommandAction.IGNORE,
            Opcode.PREFETCH_CFG, Opcode.PREFETCH_ADDR,
            Opcode.TLBI_EL3_ALL, Opcode.TLBI_EL3_VA,
            Opcode.TLBI_EL2_ALL, Opcode.TLBI_EL2_ASID, Opcode.TLBI_EL2_VA, Opcode.TLBI_EL2_VAA,
            Opcode.PRI_RESP, Opcode.RESUME, Opcode.STALL_TERM);
        // CFGI_VMS_PIDM, TLBI_S12_VMALL, TLBI_S2_IPA stay ILLEGAL.
        for (final Opcode opcode : Opcode.known())
        {
            HAS_SSEC[opcode.value()] = opcode.has(CommandLayout.SSEC);
        }
    }

    private CommandActionTable()
    {
    }

    private static void put(final CommandAction action, final Opcode... opcodes)
    {
        for (final Opcode opcode : opcodes)
        {
            BY_OPCODE[opcode.value()] = action;
        }
    }

    /**
     * Hot path: the action for a raw command.
     *
     * @param dword0 the command's first dword.
     * @return its action; {@link CommandAction#ILLEGAL} for an unknown opcode or SSec=1.
     */
    public static CommandAction of(final long dword0)
    {
        final int opcode = (int)(dword0 & CommandLayout.OPCODE_MASK);
        if (HAS_SSEC[opcode] && (dword0 & CommandLayout.SSEC_MASK) != 0)
        {
            return CommandAction.ILLEGAL;
        }
        return BY_OPCODE[opcode];
    }

    /**
     * @param opcode an opcode value, 0..255.
     * @return its action when SSec is clear.
     * @throws IllegalArgumentException naming {@code opcode} when out of range.
     */
    public static CommandAction ofOpcode(final int opcode)
    {
        if ((opcode & ~0xFF) != 0)
        {
            throw new IllegalArgumentException("opcode=0x" + Integer.toHexString(opcode) + " is not 8-bit");
        }
        return BY_OPCODE[opcode];
    }
}
