/**
 * Command validation: the CERROR code ({@link dev.cmdq.queue.CommandError}) a device would report for
 * a command on a given kind of queue ({@link dev.cmdq.smmu.validate.QueueKind}), with reserved-bit
 * checking an explicit choice ({@link dev.cmdq.smmu.validate.ReservedBits}) because QEMU does not
 * check reserved bits and real hardware may. Every rule names its source in
 * {@link dev.cmdq.smmu.validate.CommandValidator}.
 */
package dev.cmdq.smmu.validate;
