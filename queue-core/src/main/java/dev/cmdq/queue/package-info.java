/**
 * SMMU-exact off-heap rings: PROD/CONS arithmetic ({@link dev.cmdq.queue.QueueIndex}), ring memory
 * and its providers ({@link dev.cmdq.queue.RingMemory}), the queue's registers
 * ({@link dev.cmdq.queue.QueueRegisters}), the single-writer producer
 * ({@link dev.cmdq.queue.SingleWriterProducer}), the device-side consumer with the CONS.ERR / GERROR
 * halt-and-acknowledge protocol ({@link dev.cmdq.queue.QueueConsumer}), software error recovery
 * ({@link dev.cmdq.queue.CommandErrorRecovery}), and completion waiting — CONS polling
 * ({@link dev.cmdq.queue.ConsWaiter}) and the MSI-style memory write-back
 * ({@link dev.cmdq.queue.WriteBackWaiter}).
 *
 * <p>This package owns queue state only. It knows no SMMU opcode: entries are opaque 16-byte slots,
 * and where it must write or recognise a completion entry it asks {@link dev.cmdq.queue.CompletionEntry},
 * which smmu-commands implements with CMD_SYNC.
 */
package dev.cmdq.queue;
