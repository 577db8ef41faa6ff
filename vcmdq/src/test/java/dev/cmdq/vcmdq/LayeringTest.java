package dev.cmdq.vcmdq;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The module layering of architecture.md, checked on the compiled classes: queue-core knows no SMMU
 * opcode and nothing above it; smmu-commands knows nothing of the system model; inside vcmdq the layers
 * point downward only (guest → vmm → host → hw), each using only the one below; the guest sees only
 * queue-core (registers, rings, guest memory); the testbed, which wires all four, is used by none of them.
 */
final class LayeringTest
{
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses()
    {
        classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cmdq");
    }

    @Test
    void importsTheLowerModules()
    {
        // A rule over an empty import passes vacuously: make sure the modules below are really seen.
        assertFalse(classes.that(com.tngtech.archunit.base.DescribedPredicate.describe(
            "in dev.cmdq.queue", c -> c.getPackageName().startsWith("dev.cmdq.queue"))).isEmpty());
    }

    @Test
    void queueCoreDependsOnNoHigherModule()
    {
        final ArchRule rule = noClasses().that().resideInAPackage("dev.cmdq.queue..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cmdq.smmu..", "dev.cmdq.vcmdq..", "dev.cmdq.bench..");
        rule.check(classes);
    }

    @Test
    void smmuCommandsDependOnlyOnQueueCore()
    {
        final ArchRule rule = noClasses().that().resideInAPackage("dev.cmdq.smmu..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cmdq.vcmdq..", "dev.cmdq.bench..")
            .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void vcmdqLayersPointDownward()
    {
        noClasses().that().resideInAPackage("dev.cmdq.vcmdq.hw..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "dev.cmdq.vcmdq.host..", "dev.cmdq.vcmdq.vmm..", "dev.cmdq.vcmdq.guest..", "dev.cmdq.bench..")
            .allowEmptyShould(true)
            .check(classes);
        noClasses().that().resideInAPackage("dev.cmdq.vcmdq.host..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "dev.cmdq.vcmdq.vmm..", "dev.cmdq.vcmdq.guest..", "dev.cmdq.bench..")
            .allowEmptyShould(true)
            .check(classes);
        // The VMM reaches hardware only through the host kernel (iommufd), as a real VMM does.
        noClasses().that().resideInAPackage("dev.cmdq.vcmdq.vmm..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "dev.cmdq.vcmdq.hw..", "dev.cmdq.vcmdq.guest..", "dev.cmdq.bench..")
            .allowEmptyShould(true)
            .check(classes);
        // The guest sees only queue-core interfaces and guest memory: it cannot tell whether it is trapped.
        noClasses().that().resideInAPackage("dev.cmdq.vcmdq.guest..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "dev.cmdq.vcmdq.hw..", "dev.cmdq.vcmdq.host..", "dev.cmdq.vcmdq.vmm..", "dev.cmdq.bench..")
            .allowEmptyShould(true)
            .check(classes);
    }

    @Test
    void noLayerDependsOnTheTestbed()
    {
        // The testbed wires the four layers together; a layer reaching up into it would undo the layering.
        noClasses().that().resideInAnyPackage(
                "dev.cmdq.vcmdq.hw..", "dev.cmdq.vcmdq.host..", "dev.cmdq.vcmdq.vmm..", "dev.cmdq.vcmdq.guest..")
            .should().dependOnClassesThat().resideInAPackage("dev.cmdq.vcmdq.testbed..")
            .check(classes);
    }

    @Test
    void theTestbedIsImported()
    {
        // The rule above passes vacuously if the testbed is missing from the import.
        assertFalse(classes.that(com.tngtech.archunit.base.DescribedPredicate.describe(
            "in dev.cmdq.vcmdq.testbed", c -> c.getPackageName().equals("dev.cmdq.vcmdq.testbed"))).isEmpty());
    }
}
