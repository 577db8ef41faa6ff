/**
 * The golden-vector check (smmuv3-cmdq.md §6, end): rows of commands built by Linux's encoder and
 * decoded by QEMU's macros, checked both ways — encoding the kernel inputs must give the two words
 * exactly, and decoding the two words must give every QEMU-decoded and kernel-mask-decoded field.
 * Shared by the tests and the {@code cmdq vectors} command.
 */
package dev.cmdq.smmu.vector;
