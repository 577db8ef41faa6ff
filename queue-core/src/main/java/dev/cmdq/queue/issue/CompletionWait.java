package dev.cmdq.queue.issue;

/**
 * How a caller that appended a completion entry (a CMD_SYNC) learns that the device consumed it
 * (smmuv3-cmdq.md §3).
 */
public enum CompletionWait
{
    /**
     * MSI polling: the completion entry names its own slot as the write-back address and the waiter
     * polls that 32-bit word until the device stored the write-back value there. Reads no register,
     * which matters on a trapped queue.
     */
    WRITE_BACK,

    /**
     * CONS polling: the completion entry asks for no write-back and the waiter re-reads CONS until it
     * has moved past the entry (QEMU, Tegra241 VCMDQs).
     */
    CONS_POLL
}
