package dev.cmdq.queue.lockfree;

/**
 * Deliberate breakages of {@link LinuxCmdqIssuer}, for the negative controls of the test suite only:
 * each is a real logic race that the stress suite must catch. Production code always runs
 * {@link #NONE}; only this package (and its tests) can choose another.
 */
enum Fault
{
    /** The algorithm as specified. */
    NONE,

    /**
     * The owner writes PROD right after gathering, without waiting for the gathered slots to become
     * valid; writers pause between reserving and writing, so the device reads slots not yet written.
     */
    PROD_BEFORE_VALID,

    /**
     * The owner hands {@code owner_prod} over before it writes PROD (and pauses in between), so the next
     * owner's PROD write can be overtaken and PROD moves backwards.
     */
    OWNER_PROD_BEFORE_PROD,

    /**
     * A sync caller takes the cmdq lock shared only after marking its slots valid (and pauses
     * 200 µs in between), so the software CONS can be refreshed past its sync and the ring can
     * lap it before it waits.
     */
    SHARED_LOCK_AFTER_PUBLISH,

    /**
     * Not a fault: the algorithm as specified with the same pause as {@link #SHARED_LOCK_AFTER_PUBLISH}
     * after marking the slots valid — the control showing that the pause alone breaks nothing.
     */
    PAUSE_AFTER_PUBLISH,

    /**
     * The software CONS is stored unconditionally, as Linux's plain store does, instead of only forward:
     * with a device that makes a write-back visible before it moves CONS, an exclusive refresh then moves
     * the software CONS backwards and space is granted over unconsumed entries.
     */
    PLAIN_CONS_STORE
}
