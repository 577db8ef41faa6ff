package dev.cmdq.vcmdq.guest;

/**
 * One row of an unmap-sequence vector file (linux-unmap-sequences.md §7), as text.
 *
 * @param number    1-based data row number (the header is not counted).
 * @param line      1-based line number in the file.
 * @param op        {@code op}: the driver entry point.
 * @param inputs    {@code inputs}: {@code name=value} pairs joined by {@code ;}.
 * @param commands  {@code commands}: the queue contents, {@code dw0:dw1} entries joined by {@code |}.
 * @param nCmds     {@code n_cmds}: entries in {@code commands}, syncs included.
 * @param nSyncs    {@code n_syncs}: how many of them are CMD_SYNC.
 * @param issues    {@code issues}: the insertions, {@code n} or {@code n+S}, joined by {@code /}.
 * @param malformed why the line could not be split into the header's columns, or null; such a row
 *                  fails the check (it is never skipped).
 */
public record UnmapVectorRow(
    int number,
    int line,
    String op,
    String inputs,
    String commands,
    String nCmds,
    String nSyncs,
    String issues,
    String malformed)
{
}
