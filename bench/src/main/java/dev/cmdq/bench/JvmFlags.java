package dev.cmdq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every forked benchmark JVM needs, as the parent pom defines them (the one place for
 * flags): Maven filters them into {@code jvm.properties}; flags that only newer JDKs accept are added
 * here when the running JDK is new enough, so a jar built on JDK 17 also forks correctly on JDK 25.
 */
public final class JvmFlags
{
    private JvmFlags()
    {
    }

    /**
     * @return the flags for a JVM of the running version.
     */
    public static List<String> forRunningJdk()
    {
        return forJdk(Runtime.version().feature());
    }

    /**
     * @param feature the JDK feature version (17, 21, 25, ...).
     * @return the flags for a JVM of that version.
     */
    public static List<String> forJdk(final int feature)
    {
        final Properties p = load();
        final List<String> flags = new ArrayList<>(split(p.getProperty("jvm.modules")));
        if (feature >= 21)
        {
            flags.addAll(split(p.getProperty("jvm.jdk21")));
        }
        if (feature >= 24)
        {
            flags.addAll(split(p.getProperty("jvm.jdk24")));
        }
        return flags;
    }

    private static List<String> split(final String value)
    {
        if (value == null || value.isBlank() || value.contains("${"))
        {
            throw new IllegalStateException("jvm.properties was not filtered by Maven: " + value);
        }
        return Arrays.asList(value.trim().split("\\s+"));
    }

    private static Properties load()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm.properties"))
        {
            if (in == null)
            {
                throw new IllegalStateException("dev/cmdq/bench/jvm.properties missing from the classpath");
            }
            final Properties p = new Properties();
            p.load(in);
            return p;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
