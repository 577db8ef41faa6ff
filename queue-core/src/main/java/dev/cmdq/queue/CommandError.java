package dev.cmdq.queue;

/**
 * CERROR codes a consumer writes to CONS.ERR (smmuv3-cmdq.md §1.4). queue-core carries them as plain
 * ints so the hot path never boxes; {@link #name(int)} gives the kernel's name for reports.
 */
public final class CommandError
{
    /** No error. */
    public static final int NONE = 0;
    /** Illegal command: bad opcode or field. Linux replaces the slot with a CMD_SYNC, then acknowledges. */
    public static final int ILL = 1;
    /** Abort while fetching the command. Linux acknowledges and the fetch is retried. */
    public static final int ABT = 2;
    /** An ATS invalidation did not complete before a CMD_SYNC; CONS stays on the sync, which is retried. */
    public static final int ATC_INV_SYNC = 3;
    /** Tegra241 VCMDQ only: the guest used a command its VINTF may not issue (QEMU tegra241-cmdqv.h). */
    public static final int ILL_ACCESS = 4;
    /** Largest code CONS.ERR can hold (a 7-bit field, bits 30:24). */
    public static final int MAX = 0x7F;

    private CommandError()
    {
    }

    /**
     * @param code a CERROR code.
     * @return its kernel name, or {@code "CERROR_<n>"} for a code with no name.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case NONE: return "CERROR_NONE";
            case ILL: return "CERROR_ILL";
            case ABT: return "CERROR_ABT";
            case ATC_INV_SYNC: return "CERROR_ATC_INV_SYNC";
            case ILL_ACCESS: return "CERROR_ILL_ACCESS";
            default: return "CERROR_" + code;
        }
    }
}
