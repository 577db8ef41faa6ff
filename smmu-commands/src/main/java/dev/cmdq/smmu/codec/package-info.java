/**
 * Zero-copy command codecs: one encoder and one decoder flyweight per command family, working in
 * place on a ring slot (or any Agrona buffer). Nothing here allocates after construction.
 *
 * <p>An encoder's {@code wrap} overwrites the whole 16-byte slot with the opcode and zeros (the
 * kernel's {@code memset} before {@code build_cmd}), so nothing of a previous occupant survives; each
 * setter then replaces one field as the kernel's {@code FIELD_PREP} does: the value is masked to the
 * field's width, and addresses to their field's bits (VA 63:12, IPA 51:12, MSI 51:2). A setter for a
 * field the wrapped opcode does not have writes nothing, as {@code build_cmd} ignores union members an
 * opcode does not use.
 *
 * <p>A decoder's {@code wrap} reads the opcode once and checks the family; its getters read fields in
 * place. A field the opcode does not have reads as 0.
 */
package dev.cmdq.smmu.codec;
