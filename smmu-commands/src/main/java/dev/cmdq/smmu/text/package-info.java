/**
 * The one-line text form of a command, for logs, traces and the command line:
 * {@code TLBI_NH_VA vmid=0x1 asid=0x2 addr=0x7f0000001000 num=0x0 scale=0x0 tg=0x1 ttl=0x3 leaf=1}.
 * The opcode name, then every field of the opcode in a fixed order as {@code name=value} (one-bit
 * flags in decimal, everything else in hex, addresses in place). Bits outside the fields are shown as
 * {@code rsvd0=}/{@code rsvd1=} when non-zero, and an unknown opcode as
 * {@code UNKNOWN dw0=0x... dw1=0x...}, so every 128-bit value prints and parses back to the same two
 * words.
 */
package dev.cmdq.smmu.text;
