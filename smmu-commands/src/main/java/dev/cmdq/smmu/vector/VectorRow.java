package dev.cmdq.smmu.vector;

/**
 * One row of a command-vector file, as text.
 *
 * @param number       1-based data row number (the header is not counted).
 * @param line         1-based line number in the file.
 * @param opcodeName   {@code opcode_name}.
 * @param opcode       {@code opcode} (hex), may be empty.
 * @param inputs       {@code inputs}: kernel {@code arm_smmu_cmdq_ent} fields, {@code name=value;...}.
 * @param cmd0         {@code cmd0}, hex.
 * @param cmd1         {@code cmd1}, hex.
 * @param qemuDecoded  {@code qemu_decoded}: QEMU macro values, {@code name=value;...}.
 * @param extraDecoded {@code extra_decoded}: kernel-mask values, {@code name=value;...}.
 * @param malformed    why the line could not be split into the header's columns, or null; such a
 *                     row fails the check (it is never skipped).
 */
public record VectorRow(
    int number,
    int line,
    String opcodeName,
    String opcode,
    String inputs,
    String cmd0,
    String cmd1,
    String qemuDecoded,
    String extraDecoded,
    String malformed)
{
}
