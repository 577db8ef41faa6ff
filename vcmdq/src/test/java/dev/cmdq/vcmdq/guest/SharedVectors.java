package dev.cmdq.vcmdq.guest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds {@code shared/vectors/linux-unmap-sequences.csv}: through the system property
 * {@code cmdq.shared.dir} (set by the parent pom's surefire configuration), else a sibling
 * {@code shared} of user.dir or one of its parents.
 */
final class SharedVectors
{
    private SharedVectors()
    {
    }

    /**
     * @return the public unmap-sequence vectors.
     * @throws IllegalStateException if no shared directory is found.
     */
    static Path unmapSequences()
    {
        final String property = System.getProperty("cmdq.shared.dir");
        if (property != null && Files.isDirectory(Paths.get(property)))
        {
            return Paths.get(property, "vectors", "linux-unmap-sequences.csv");
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path candidate = dir.resolveSibling("shared").resolve("vectors").resolve("linux-unmap-sequences.csv");
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared vectors: set -Dcmdq.shared.dir (property was " + property + ")");
    }
}
