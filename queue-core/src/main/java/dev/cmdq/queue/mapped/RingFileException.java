package dev.cmdq.queue.mapped;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Why a ring file could not be created or opened. Names the file, the {@link Problem} and, for a header
 * that does not match, the field with the value found and the value expected, so a VMM operator can tell
 * a stale file from a wrong path from a second creator.
 */
public final class RingFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem
    {
        /** {@code create} found the file already there (another creator, or a stale file). */
        ALREADY_EXISTS,
        /** {@code open} found no file. */
        NOT_FOUND,
        /** The file is shorter than its header says (or than a header); {@code field} is {@code length}. */
        TOO_SHORT,
        /** The first word is not the ring-file magic: not a ring file, or its creation has not finished. */
        BAD_MAGIC,
        /** The layout version is not one this code reads. */
        BAD_VERSION,
        /** The header's log2Size is outside the sizes a ring may have. */
        BAD_LOG2_SIZE,
        /** The header's log2Size is valid but not the one the caller asked for. */
        LOG2_SIZE_MISMATCH,
        /** The operating system refused: creating, sizing or mapping the file failed. */
        IO_ERROR
    }

    private final transient Path file;
    private final Problem problem;
    private final String field;

    /**
     * @param file    the ring file.
     * @param problem what went wrong.
     * @param field   the header field (or {@code length}) at fault, or null when no field is.
     * @param detail  the values found and expected, or the operating system's reason.
     * @param cause   the underlying exception, or null.
     */
    RingFileException(
        final Path file, final Problem problem, final String field, final String detail, final Throwable cause)
    {
        super("ring file " + file + ": " + problem + (field == null ? "" : " in field " + field) + ": " + detail, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.field = field;
    }

    /**
     * @return the ring file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return what went wrong.
     */
    public Problem problem()
    {
        return problem;
    }

    /**
     * @return the header field at fault ({@code magic}, {@code version}, {@code log2Size},
     *         {@code length}), or null.
     */
    public String field()
    {
        return field;
    }
}
