package dev.cmdq.vcmdq.host;

import java.util.Objects;

/**
 * A refused iommufd operation: the {@link Errno} the kernel would return and a message naming the
 * offending field and value. Thrown only at object set-up and tear-down (never on the invalidation hot
 * path, which reports a status code instead).
 */
public final class IommufdException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    /**
     * @param errno   the kernel's errno for this failure.
     * @param message names the offending field and its value.
     */
    public IommufdException(final Errno errno, final String message)
    {
        super(Objects.requireNonNull(errno, "errno") + ": " + message);
        this.errno = errno;
    }

    /**
     * @return the errno of this failure.
     */
    public Errno errno()
    {
        return errno;
    }
}
