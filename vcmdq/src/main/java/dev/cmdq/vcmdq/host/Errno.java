package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.IssueStatus;

/**
 * The errno an iommufd ioctl fails with (vcmdq-viommu.md §3), carried by {@link IommufdException} so a
 * caller can branch on the kind of failure and a real-kernel backend can report the same values.
 */
public enum Errno
{
    /** Unknown object ID. */
    ENOENT(2),
    /** I/O error: a rejected invalidation entry (bad opcode, unknown vSID). */
    EIO(5),
    /** Bad file descriptor: a call on an iommufd context that was closed ({@link IommufdFile#close}). */
    EBADF(9),
    /** Allocation or table exhaustion. */
    ENOMEM(12),
    /** Bad address: a HW queue's guest range is not pinned, contiguous guest memory (§3.6). */
    EFAULT(14),
    /** Object still referenced by a child (destroy order, §3.9). */
    EBUSY(16),
    /** ID or slot already taken. */
    EEXIST(17),
    /** No free slot (a VINTF's SID_MATCH table is full). */
    ENOSPC(28),
    /** Invalid argument (out-of-range value, wrong physical IOMMU). */
    EINVAL(22),
    /** Value too large: a HW queue's base + length overflows (§3.6). */
    EOVERFLOW(75),
    /** Known field, unsupported value. */
    EOPNOTSUPP(95),
    /** A bounded wait of the hardware expired (a sync, a queue that did not drain or disable). */
    ETIMEDOUT(110);

    /**
     * The errno of a failed submission to a main CMDQ, as the kernel passes {@code issue_cmdlist}'s error
     * up: a sync that did not complete in time is ETIMEDOUT, anything else (closed, command error) EIO.
     *
     * @param issueStatus a failed {@link IssueStatus} code.
     * @return the errno.
     */
    static Errno ofSubmission(final int issueStatus)
    {
        return issueStatus == IssueStatus.TIMEOUT ? ETIMEDOUT : EIO;
    }

    private final int value;

    Errno(final int value)
    {
        this.value = value;
    }

    /**
     * @return the positive Linux errno value.
     */
    public int value()
    {
        return value;
    }
}
