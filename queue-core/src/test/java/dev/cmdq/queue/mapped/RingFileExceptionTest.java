package dev.cmdq.queue.mapped;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RingFileExceptionTest
{
    private static final Path FILE = Path.of("/dev/shm/q.ring");

    @Test
    void messageNamesFileProblemFieldAndValues()
    {
        final RingFileException e = new RingFileException(
            FILE, RingFileException.Problem.LOG2_SIZE_MISMATCH, "log2Size", "log2Size=8, expected 9", null);
        assertEquals("ring file /dev/shm/q.ring: LOG2_SIZE_MISMATCH in field log2Size: log2Size=8, expected 9",
            e.getMessage());
        assertEquals(FILE, e.file());
        assertEquals(RingFileException.Problem.LOG2_SIZE_MISMATCH, e.problem());
        assertEquals("log2Size", e.field());
    }

    @Test
    void aProblemWithoutAFieldKeepsItsCause()
    {
        final IOException cause = new IOException("No space left on device");
        final RingFileException e =
            new RingFileException(FILE, RingFileException.Problem.IO_ERROR, null, cause.toString(), cause);
        assertEquals("ring file /dev/shm/q.ring: IO_ERROR: java.io.IOException: No space left on device", e.getMessage());
        assertNull(e.field());
        assertSame(cause, e.getCause());
    }
}
