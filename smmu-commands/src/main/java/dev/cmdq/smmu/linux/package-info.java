/**
 * Linux's command inputs: the fields of the kernel's {@code struct arm_smmu_cmdq_ent} as a generic
 * key/value input ({@link dev.cmdq.smmu.linux.LinuxCommandInput}, keys
 * {@link dev.cmdq.smmu.linux.LinuxInputKey}), and the one place that turns such an input into encoder
 * calls the way the kernel's {@code arm_smmu_cmdq_build_cmd} does
 * ({@link dev.cmdq.smmu.linux.LinuxCommandBuilder}). Used by the golden-vector check and the
 * command line.
 */
package dev.cmdq.smmu.linux;
