package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommufd_vevent_header}, before each record read from a vEVENTQ (vcmdq-viommu.md §3.8); flags bit 0 = LOST_EVENTS.
 *
 * <pre>
 *   0 flags u32 | 4 sequence u32 (0..INT_MAX, wraps)
 * </pre>
 */
public final class VeventHeader extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 8;
    /** Byte offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 0;
    /** Byte offset of {@code sequence}. */
    public static final int SEQUENCE_OFFSET = 4;

    @Override
    public int size()
    {
        return SIZE;
    }

    /**
     * @return {@code flags} (u32).
     */
    public int flags()
    {
        return u32(FLAGS_OFFSET);
    }

    /**
     * @param value new {@code flags}.
     * @return this.
     */
    public VeventHeader flags(final int value)
    {
        u32(FLAGS_OFFSET, value);
        return this;
    }

    /**
     * @return {@code sequence} (u32).
     */
    public int sequence()
    {
        return u32(SEQUENCE_OFFSET);
    }

    /**
     * @param value new {@code sequence}.
     * @return this.
     */
    public VeventHeader sequence(final int value)
    {
        u32(SEQUENCE_OFFSET, value);
        return this;
    }
}
