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
     * @return the errno the kernel would return for it when no submission failed: 0 for OK,
     *         {@link Errno#EIO} otherwise (a rejected entry).
     */
    public static int errno(final int status)
    {
        return status == OK ? 0 : Errno.EIO.value();
    }

    /**
     * The ioctl's errno, as the kernel passes the submission's own error up: a sync that did not
     * complete in time is {@code arm_smmu_cmdq_issue_cmdlist}'s -ETIMEDOUT, not a generic I/O error, so a
     * VMM can tell a stalled SMMU from a bad entry.
     *
     * @param status      a code of this class.
     * @param issueStatus the failed submission's {@code IssueStatus} ({@link ViommuInvalidator#issueStatus()}).
     * @return the positive errno, 0 for OK.
     */
    public static int errno(final int status, final int issueStatus)
    {
        return status == SUBMIT_FAILED ? Errno.ofSubmission(issueStatus).value() : errno(status);
    }
}
