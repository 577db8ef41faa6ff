package dev.cmdq.vcmdq.host;

/**
 * Outcome codes of {@link ViommuInvalidator#invalidate}; the ioctl's errno in brackets.
 */
public final class InvalidateStatus
{
    /** Every entry was executed and synced (0). */
    public static final int OK = 0;
    /** An entry's opcode is not one of the eight accepted (-EIO). */
    public static final int REJECTED_OPCODE = -1;
    /** An ATC_INV/CFGI_CD/CFGI_CD_ALL names a vSID this vIOMMU has no vDEVICE for (-EIO). */
    public static final int UNKNOWN_SID = -2;
    /** The main CMDQ refused or did not complete a chunk (the submission's error, e.g. a sync timeout). */
    public static final int SUBMIT_FAILED = -3;

    private InvalidateStatus()
    {
    }

    /**
     * @param status a code of this class.
     * @return its name.
     */
    public static String name(final int status)
    {
        switch (status)
        {
            case OK:
                return "OK";
            case REJECTED_OPCODE:
                return "REJECTED_OPCODE";
            case UNKNOWN_SID:
                return "UNKNOWN_SID";
            case SUBMIT_FAILED:
                return "SUBMIT_FAILED";
            default:
                return "UNKNOWN(" + status + ")";
        }
    }

    /**
     * @param status a code of this class.
     * @return the errno the kernel would return, 0 for OK ({@link Errno#EIO} for a rejected entry; a
     *         failed submission is reported as EIO too, the model having no distinct timeout errno).
     */
    public static int errno(final int status)
    {
        return status == OK ? 0 : Errno.EIO.value();
    }
}
