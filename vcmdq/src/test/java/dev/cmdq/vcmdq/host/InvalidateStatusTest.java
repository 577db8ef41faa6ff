package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ioctl's errno per outcome, as Linux returns it (vcmdq-viommu.md §3.7): 0, -EIO for a rejected
 * entry or a failed command, -ETIMEDOUT when the submission's sync did not complete in time.
 */
class InvalidateStatusTest
{
    @Test
    void errnoOfEachOutcome()
    {
        assertEquals(0, InvalidateStatus.errno(InvalidateStatus.OK, IssueStatus.OK));
        assertEquals(5, InvalidateStatus.errno(InvalidateStatus.REJECTED_OPCODE, IssueStatus.OK));
        assertEquals(5, InvalidateStatus.errno(InvalidateStatus.UNKNOWN_SID, IssueStatus.OK));
        assertEquals(110, InvalidateStatus.errno(InvalidateStatus.SUBMIT_FAILED, IssueStatus.TIMEOUT));
        assertEquals(5, InvalidateStatus.errno(InvalidateStatus.SUBMIT_FAILED, IssueStatus.COMMAND_ERROR));
        assertEquals(5, InvalidateStatus.errno(InvalidateStatus.SUBMIT_FAILED, IssueStatus.CLOSED));
    }
}
