package dev.cmdq.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fork flags come from the parent pom through Maven filtering, and version-gated flags appear
 * only for JDKs that accept them (JDK 17 refuses to start with --sun-misc-unsafe-memory-access).
 */
final class JvmFlagsTest
{
    @Test
    void jdk17GetsTheModuleFlagsOnly()
    {
        final List<String> flags = JvmFlags.forJdk(17);
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags::toString);
        assertFalse(flags.contains("-XX:+EnableDynamicAgentLoading"), flags::toString);
        assertFalse(flags.stream().anyMatch(f -> f.startsWith("--sun-misc-unsafe-memory-access")), flags::toString);
        assertFalse(flags.stream().anyMatch(f -> f.contains("${")), "unfiltered placeholder in " + flags);
    }

    @Test
    void jdk21AddsDynamicAgentLoading()
    {
        final List<String> flags = JvmFlags.forJdk(21);
        assertTrue(flags.contains("-XX:+EnableDynamicAgentLoading"), flags::toString);
        assertFalse(flags.stream().anyMatch(f -> f.startsWith("--sun-misc-unsafe-memory-access")), flags::toString);
    }

    @Test
    void jdk25AddsTheUnsafeMemoryAccessFlag()
    {
        final List<String> flags = JvmFlags.forJdk(25);
        assertTrue(flags.contains("--sun-misc-unsafe-memory-access=allow"), flags::toString);
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags::toString);
    }
}
