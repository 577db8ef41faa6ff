/**
 * The SMMUv3 command set as data: {@link dev.cmdq.smmu.Opcode} (every opcode of smmuv3-cmdq.md §2.1,
 * with its fields), the layout classes that place each field ({@link dev.cmdq.smmu.CommandLayout},
 * {@link dev.cmdq.smmu.TlbiLayout}, {@link dev.cmdq.smmu.CfgiLayout}, ...; each carries a bit
 * diagram), field descriptors ({@link dev.cmdq.smmu.CommandField}), the little-endian slot words
 * ({@link dev.cmdq.smmu.CommandWords}) and the CMD_SYNC implementation of queue-core's completion
 * entry ({@link dev.cmdq.smmu.CmdSyncCompletion}).
 *
 * <p>Sub-packages: {@code codec} (encoder/decoder flyweights), {@code validate} (the CERROR a device
 * would report, per queue kind), {@code text} (one-line print and parse), {@code linux} (Linux's
 * {@code arm_smmu_cmdq_ent} inputs to encoder calls), {@code vector} (the golden-vector check).
 *
 * <p>Bit positions are the kernel's and QEMU's (smmuv3-cmdq.md §2.2); where a command or field is
 * taken from the architecture's parameter lists only, the layout class says so.
 */
package dev.cmdq.smmu;
