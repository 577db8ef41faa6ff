/**
 * The system cmdq exists for, in four layers that depend strictly downward
 * (guest → vmm → host → hw): {@code hw} the physical SMMU with its main CMDQ, CMDQV engine and model
 * caches; {@code host} the host kernel (HostCmdq, iommufd vIOMMU/vDEVICE/HW queue, invalidate);
 * {@code vmm} the vSMMU register front-end, trap handler and topology; {@code guest} Linux's
 * invalidation sequences. {@code testbed} wires the four into a runnable system (end-to-end tests,
 * scenario runner, fuzzer, stress harness); no layer depends on it. The layering is enforced by
 * {@code LayeringTest}.
 */
package dev.cmdq.vcmdq;
