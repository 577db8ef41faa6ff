package dev.cmdq.vcmdq.hw.cache;

/**
 * An insert into a model cache that is full. The model never evicts: an evicted entry would look to a
 * test exactly like an invalidated one and hide an under-broad invalidation, so a full cache refuses
 * the insert and keeps every entry it has.
 */
public final class CacheFullException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final int capacity;

    /**
     * @param cache    the cache's name, for the message.
     * @param capacity its fixed capacity.
     * @param entry    the refused entry, for the message.
     */
    public CacheFullException(final String cache, final int capacity, final String entry)
    {
        super(cache + " is full (capacity " + capacity + "): refused " + entry);
        this.capacity = capacity;
    }

    /**
     * @return the capacity of the full cache.
     */
    public int capacity()
    {
        return capacity;
    }
}
