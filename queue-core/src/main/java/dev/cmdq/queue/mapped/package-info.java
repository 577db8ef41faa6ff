/**
 * The process-shared command queue: a ring and its registers in a memory-mapped file
 * ({@link dev.cmdq.queue.mapped.MappedRingMemory}, layout in {@code RingFileLayout}), so a producer in
 * one process and the device in another share them zero-copy, as a VMM shares guest memory; and what is
 * needed when a process sharing it dies: finding the dead ({@link dev.cmdq.queue.mapped.ProducerLeases})
 * and repairing a claim it left unpublished ({@link dev.cmdq.queue.mapped.AbandonedClaim}).
 *
 * <p><b>What this package owns:</b> the file layout (header with magic, version, log2Size and the
 * device address; the register block; the producer lease table; the ring), creating and opening such
 * files with typed errors ({@link dev.cmdq.queue.mapped.RingFileException}), the mapping's lifetime, the
 * lease table, and the repair of an abandoned claim.
 *
 * <p><b>Assumptions.</b>
 * <ul>
 *   <li>Chronicle Bytes is on the class path: queue-core declares it optional, so only users of this
 *       package need it; nothing outside this package refers to it.</li>
 *   <li>Every process maps the file {@code MAP_SHARED} (Chronicle does) on one machine: the cache
 *       coherence and ordering of the same physical pages across processes are those across threads,
 *       so the acquire/release accessors of the registers and the ring keep their meaning.</li>
 *   <li>The file is best on a tmpfs ({@link dev.cmdq.queue.mapped.MappedRingMemory#defaultDirectory()}
 *       picks {@code /dev/shm} when present): on a disk-backed file the kernel writes dirty pages back
 *       for nothing. Nothing here relies on durability: a ring file is a rendezvous, not a log.</li>
 *   <li>Whoever creates a file owns its name and removes it; closing only unmaps.</li>
 *   <li>A process is dead when the OS says so ({@link dev.cmdq.queue.mapped.ProducerLeases}: no process
 *       with its id and start time, or a zombie). A stopped ({@code SIGSTOP}) or merely slow process is
 *       alive and is never recovered: it may resume and write.</li>
 * </ul>
 *
 * <p><b>Single writer, killed: fully recovered.</b> A {@link dev.cmdq.queue.SingleWriterProducer} in a
 * process that dies at any instruction ({@code SIGKILL}) leaves nothing to repair. What it published
 * (PROD, one release store of an aligned 32-bit word, so never torn) stays; entries it wrote past PROD,
 * complete or torn, are invisible to the device and are overwritten by the next producer, which resumes
 * from PROD read from the file (the producer's constructor does). {@code SingleWriterKillTest} kills a
 * producer process many times, at random moments and deliberately between writing and publishing (with
 * half an entry written), and checks that no torn or unpublished entry is executed, every sequence
 * arrives exactly once in order, and every restart resumes at the published PROD.
 *
 * <p><b>Lock-free multi-producer across processes: not done end to end.</b> The Linux algorithm's
 * issuer ({@link dev.cmdq.queue.lockfree.LinuxCmdqIssuer}) keeps its shared state in a package-private
 * {@code CmdqState} that it allocates (or wraps, in a test seam) and always <em>resets</em> in its
 * constructor from PROD and CONS, so a second process cannot join a state in this file. Joining needs,
 * in {@code dev.cmdq.queue.lockfree}, a constructor over an existing state without reset, and a claim
 * record per producer lease written at the points named below. This package provides the two pieces
 * that do not depend on that: detection of a dead producer and the repair of a claim whose range is
 * known. The analysis of what a producer killed inside {@code issue} (smmuv3-cmdq.md §4.2) leaves behind,
 * and whether it can be recovered, follows; "record" means a per-lease claim record in the file, stored by
 * the producer itself with release semantics:
 * <ol>
 *   <li><b>Before its reserving CAS succeeded</b> (waiting for space, failed CASes): nothing shared
 *       changed. Nothing to recover.</li>
 *   <li><b>Holding the cmdq lock exclusively</b> (the CONS refresh of {@code waitUntilNotFull}): the lock
 *       stays negative, sync callers cannot take it shared and nobody refreshes CONS again. Recoverable:
 *       the exclusive holder is unique, so a record "trying exclusive" stored before the CAS
 *       {@code 0 -> INT_MIN} identifies it once every live producer's "trying" record has resolved; the
 *       recoverer then does {@code exclusive_unlock} (clear the sign bit) for it. Not implemented.</li>
 *   <li><b>After the reserving CAS, before every valid bit of its claim flipped</b> (steps 2 and 3): the
 *       owner of the round waits at step 4c for slots that never become valid. Recoverable, by
 *       {@link dev.cmdq.queue.mapped.AbandonedClaim#fill} (implemented and tested: no-op completions in the
 *       still-invalid slots only, one exact flip each), once the range is known. A record stored right after
 *       the CAS gives it; between the CAS and that record only a record stored before the CAS (the snapshot
 *       and {@code k}) exists, and the range is then decidable from all records (the claim starts at the
 *       snapshot's prod; it was made iff llq's prod moved past that start, no live record claims it and its
 *       slot is not valid in that lap), but that rule is not implemented.</li>
 *   <li><b>The owner, anywhere in steps 4a to 4e</b>: OWNED stays set (nobody becomes owner again) or
 *       {@code owner_prod} never reaches the next owner's start, so PROD stops. Recoverable by doing the
 *       rest of the owner's steps in its place: wait for {@code owner_prod == start} (recovering an earlier
 *       dead owner first), clear OWNED unless 4b already happened (known from a record stored after 4b;
 *       between 4b and that record, 4b happened iff some later claim's snapshot had OWNED clear), fill,
 *       write PROD (idempotent: no later owner can have written PROD, each waits for {@code owner_prod}),
 *       then {@code owner_prod}. Not implemented.</li>
 *   <li><b>Holding the cmdq lock shared</b> (a sync caller, from step 2 until its unlock in step 5):
 *       <em>this window is not recovered, and cannot be with Linux's lock alone.</em> The lock counts its
 *       shared holders anonymously: taking and dropping it are single atomic adds on a counter every other
 *       holder changes too, and a record of the add can be stored only before or after it. For a producer
 *       killed between its add and its record, nothing the recoverer can read says whether the add
 *       happened; live holders keep moving the counter, so its value does not say either. Both wrong
 *       answers are harmful: a decrement too few keeps the counter above 0 forever (no exclusive CONS
 *       refresh, no last-waiter CONS store: the software CONS freezes and every producer times out once the
 *       ring is full); a decrement too many lets an exclusive refresh move CONS while a sync waiter still
 *       compares against it (the wrap-twice hazard of §4.1: a waiter can report a sync complete that the
 *       device has not executed). Closing the window needs either a moment when no live producer is between
 *       an add and its record, proven by a double collect of the lock word and every record with sequence
 *       numbers (it may never come under constant traffic), or a lock that names its holders (one bit per
 *       lease), which departs from Linux's lock. Neither is done here.</li>
 *   <li><b>After its last unlock (or after 4e without a sync)</b>: nothing left. Its write-back word,
 *       if any, is written by the device into its own slot and harms nobody.</li>
 * </ol>
 */
package dev.cmdq.queue.mapped;
