/**
 * SMMU-exact off-heap rings: PROD/CONS arithmetic ({@link dev.cmdq.queue.QueueIndex}), ring memory
 * and its providers, the queue's registers ({@link dev.cmdq.queue.QueueRegisters}), producers,
 * the device-side consumer with the CONS.ERR / GERROR halt-and-acknowledge protocol, and completion
 * waiting (CONS polling and the MSI-style memory write-back).
 *
 * <p>This package owns queue state only. It knows no SMMU opcode: entries are opaque 16-byte slots,
 * and where it must write or recognise a completion entry it asks {@link dev.cmdq.queue.CompletionEntry},
 * which smmu-commands implements with CMD_SYNC.
 */
package dev.cmdq.queue;
