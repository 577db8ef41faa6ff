package dev.cmdq.smmu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the project's {@code shared} directory: the system property {@code cmdq.shared.dir} (set by
 * the parent pom's surefire configuration), else a sibling {@code shared} of user.dir or one of its
 * parents.
 */
public final class SharedDir
{
    private SharedDir()
    {
    }

    /**
     * @return the shared directory.
     * @throws IllegalStateException if none is found.
     */
    public static Path path()
    {
        final String property = System.getProperty("cmdq.shared.dir");
        if (property != null && Files.isDirectory(Paths.get(property)))
        {
            return Paths.get(property).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("vectors")))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared directory: set -Dcmdq.shared.dir (property was " + property + ")");
    }

    /**
     * @return the SMMUv3 command vectors.
     */
    public static Path commandVectors()
    {
        return path().resolve("vectors").resolve("smmuv3-cmd-vectors.csv");
    }
}
