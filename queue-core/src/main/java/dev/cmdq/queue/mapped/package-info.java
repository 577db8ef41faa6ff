/**
 * The process-shared command queue: a ring and its registers in a memory-mapped file
 * ({@link dev.cmdq.queue.mapped.MappedRingMemory}, layout in {@code RingFileLayout}), so a producer in
 * one process and the device in another share them zero-copy, as a VMM shares guest memory.
 *
 * <p><b>What this package owns:</b> the file layout (header with magic, version, log2Size and the
 * device address; the register block; the ring), creating and opening such files with typed errors
 * ({@link dev.cmdq.queue.mapped.RingFileException}), and the mapping's lifetime.
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
 *   <li><b>Single writer, killed.</b> A producer process may die at any instruction
 *       ({@code SIGKILL}). What it published (PROD, one release store of an aligned 32-bit word) stays;
 *       entries it wrote past PROD are invisible to the device and are overwritten by the next producer,
 *       which resumes from PROD read from the file (as {@link dev.cmdq.queue.SingleWriterProducer}
 *       does on construction). A torn PROD cannot happen: the store is a single aligned word.</li>
 * </ul>
 */
package dev.cmdq.queue.mapped;
