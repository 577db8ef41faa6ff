/**
 * The process-shared command queue: a ring and its registers in a memory-mapped file
 * ({@link dev.cmdq.queue.mapped.MappedRingMemory}, layout in {@code RingFileLayout}), so a producer in
 * one process and the device in another share them zero-copy, as a VMM shares guest memory; and what is
 * needed when a process sharing it dies: finding the dead ({@link dev.cmdq.queue.mapped.ProducerLeases})
 * and repairing a claim it left unpublished ({@link dev.cmdq.queue.mapped.AbandonedClaim}).
 *
 * <p><b>What this package owns:</b> the file layout (header with magic, version, log2Size and the
 * device address; the register block; the producer lease table; the recovery lock; the ring; the claim
 * records; the Linux algorithm's shared state), creating and opening such files with typed errors
 * ({@link dev.cmdq.queue.mapped.RingFileException}), the mapping's lifetime, the lease table, the claim
 * records, and the repair of everything a dead producer left half done.
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
 * <p><b>Lock-free multi-producer across processes: {@link dev.cmdq.queue.mapped.MappedLinuxIssuer}.</b>
 * Every producer process joins the one software state of Linux's algorithm kept in the file (layout 2:
 * {@link dev.cmdq.queue.mapped.MappedRingMemory#cmdqState()}, never reset by a joiner; a new file's zeroes
 * are the state for PROD = CONS = 0). Each issuing thread takes a lease of its own and stores every step
 * of every call into that lease's claim record ({@code ClaimRecords}: one 64-bit word, one release store
 * per step, so never half written) at the points {@link dev.cmdq.queue.lockfree.ClaimJournal} names: just
 * before each atomic step and just after it. Every wait of the issuer backs off through its
 * {@code WaitPolicy}'s idle strategy; the mapped issuer's strategy ({@code RepairingIdleStrategy}) tells
 * the recorder of each round, and a call stalled for 32 rounds (with the default policy about a
 * millisecond: 10 spins, 10 yields, parks from 1 µs) runs {@code DeadProducerRepair}, at most once per
 * {@link dev.cmdq.queue.mapped.MappedLinuxIssuer#DEFAULT_SCAN_INTERVAL_NS} per process. A repair takes the
 * file's recovery lock (one repairer at a time, so every step is done once; a dead holder is replaced),
 * finds every dead lease holder, and does, in passes that never wait, what each dead record allows:
 *
 * <ol>
 *   <li><b>W1, reserving</b> (record RESERVING, stored before each CAS with the expected word and
 *       {@code k}): did the CAS succeed? Only a claim covering a slot of the unpublished window
 *       {@code [PROD, llq.prod)} can hold it invalid, and every claim in progress has a RESERVING or
 *       CLAIMED record covering it, stored before its CAS (so visible to whoever reads llq after it). The
 *       repairer reads PROD, llq, the records, then the valid bit: the claim at {@code p} is the dead one's
 *       iff {@code p} is in that window, invalid, and no other RESERVING or CLAIMED record covers it.
 *       Then it is treated as CLAIMED; else the record is cleared. <em>Undecided</em> while another
 *       record covering {@code p} is RESERVING: a live one resolves at its next store; a dead one (two
 *       producers dead in their reservation windows over the same slots) never does.</li>
 *   <li><b>Claimed, not flipped</b> (CLAIMED, and the sync steps before the flip): every still-invalid
 *       slot of {@code [start, end)} becomes a no-op completion ({@link dev.cmdq.queue.mapped.AbandonedClaim});
 *       slots it flipped keep its entries. The device therefore sees, of a dead producer's last call, a
 *       prefix of its commands (none, the valid-map words it flipped, or all) followed by no-ops.</li>
 *   <li><b>Owner before 4b</b> (PUBLISHED with the owner bit): once {@code owner_prod} reaches its start
 *       (pending until then; an earlier dead owner is repaired in the same passes), the repairer stores
 *       GATHERING in the dead record, then clears OWNED (exact: its round still holds it, it never
 *       recorded GATHERING), stores GATHERED with the gathered end.</li>
 *   <li><b>W3, gathering</b> (GATHERING: 4b may or may not have happened): OWNED stays set from the dead
 *       owner's reservation to its 4b, and prod cannot move while OWNED is clear. So: OWNED clear now means
 *       4b happened and nobody reserved since, the gathered end is llq.prod; OWNED set and 4b happened means
 *       someone reserved from a word with OWNED clear at the gathered end and is stuck before 4a behind the
 *       dead owner, with an owner record starting there (a live RESERVING owner record, a dead one whose
 *       CAS W1 proves, or an owner's CLAIMED / PUBLISHED). No such record: 4b did not happen; the repairer
 *       does it.</li>
 *   <li><b>Gathered</b> (GATHERED): when every slot of {@code [start, gathered end)} is valid (live writers
 *       finish, dead ones are filled by 2.), PROD := gathered end, then {@code owner_prod}; skipped if
 *       {@code owner_prod} already moved off its start (it wrote both and died before HANDED_OVER: the next
 *       owner may be past it, a second PROD write would move PROD back).</li>
 *   <li><b>W2, exclusive lock</b> (EXCLUSIVE_TRYING before the CAS, EXCLUSIVE_HELD after, EXCLUSIVE_UNLOCKING
 *       before the unlock, NONE after): HELD means it holds the lock. For TRYING or UNLOCKING: the holder is
 *       unique and is never NONE while holding, so if the lock is negative between two collects of all
 *       records that see every live record unchanged (SEQ) and none of them, nor another dead one, in an
 *       exclusive state, the dead one holds it. The repairer then finishes its critical section: software
 *       CONS := hardware CONS (forward only), clear the sign bit. A non-negative lock means it does not hold
 *       it. <em>Undecided</em> while a live record moves or is exclusive (transient), and for good when two
 *       dead records are in exclusive states and neither is HELD.</li>
 *   <li><b>W5, shared lock: narrowed, no longer unrecoverable</b> (SHARED_LOCKING before the increment,
 *       SHARED_HELD after, SHARED_UNLOCKING before the try-unlock / decrement, NONE after). HELD owes one
 *       decrement. For the ambiguous ones the previous analysis holds — no single record says whether the
 *       add happened — but it does not have to be known per producer: at an instant between two collects
 *       that see every live record unchanged and none of them in LOCKING or UNLOCKING, the lock's count
 *       (its low 31 bits) is exactly the number of SHARED_HELD records plus the ambiguous dead ones whose
 *       add happened; the difference is how many decrements they owe together, whichever of them it was.
 *       The repairer does that many and clears them. (Its own record may say SHARED_LOCKING when its stall
 *       comes from inside the shared-lock wait: its add is done and it counts itself as a holder.)
 *       <em>What remains</em> is liveness, not safety: the moment may not come while live producers keep
 *       passing through their shared-lock windows; until it does the phantom count stays, which stops the
 *       exclusive CONS refresh and the last-waiter CONS store, so the ring eventually fills and producers
 *       wait for space holding no shared add — such a moment. Survivors' sync calls may time out
 *       ({@code TIMEOUT}) meanwhile; no call returns a wrong result (a decrement too many cannot happen).</li>
 *   <li><b>After its last step</b>: nothing but the record and lease, cleared and freed by the next repair
 *       (a stalled wait, or {@link dev.cmdq.queue.mapped.MappedLinuxIssuer#repairDeadProducers()} called by a
 *       supervisor).</li>
 * </ol>
 *
 * <p>A repair ends with one exclusive CONS refresh (recorded in the repairer's own record like the
 * issuer's), because producers waiting for space may all be waiting for somebody else's refresh. Each
 * repair step first stores in the dead record what it is about to do (GATHERING before clearing OWNED,
 * EXCLUSIVE_UNLOCKING / SHARED_UNLOCKING before giving back a lock) and every other step is idempotent, so
 * a repairer that dies mid-repair is resumed from the records by the next one.
 *
 * <p><b>Bound.</b> A survivor blocked by a dead producer starts its repair within about 32 back-off rounds
 * plus one scan interval (a few milliseconds); the repair itself does not wait. The survivors' calls stay
 * bounded by their {@code WaitPolicy} timeout as without a death: a call either completes with
 * {@code OK} or returns a typed status ({@code TIMEOUT}, {@code BROKEN}) when its wait runs out.
 *
 * <p><b>Not recovered</b> (the survivor's waits run out and report {@code TIMEOUT} or {@code BROKEN},
 * they never hang): two dead producers whose records are both ambiguous about the same thing (W1: both
 * reserving over the same slots; W2: both in an exclusive state, neither HELD); a record whose SEQ wrapped
 * (2^16 stores) between the two reads of one collect; a stopped ({@code SIGSTOP}) producer, which is
 * alive and is waited for; and a thread that leaves a call half done while its process lives on (an
 * {@code Error} thrown inside {@code issue}): leases name processes, so it is never found dead. {@code DeadProducerRepairTest#twoDeadReservationsOverTheSameSlotsTimeOutTyped}
 * shows the first case.
 *
 * <p><b>Tests.</b> {@code DeadProducerRepairTest}: a producer abandoned at each of 27 steps (owner alone,
 * behind a live owner, on a full ring) in this process, with an expected outcome typed per step, and a
 * survivor that completes 40 more calls with {@code OK}. {@code MultiProducerKillTest}: two survivor
 * processes and one victim process per round, SIGKILLed at random or parked in one of 19 windows
 * (the slow form: each window), the device in the test JVM checking every call whole, contiguous, once,
 * in order, and the killed call as a prefix followed by no-ops.
 */
package dev.cmdq.queue.mapped;
