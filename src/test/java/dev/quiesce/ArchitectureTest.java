package dev.quiesce;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules of DESIGN §2, checked on the compiled main classes. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // Not Predefined.DO_NOT_INCLUDE_TESTS: it only knows "target/test-classes", and builds may use another directory.
        ImportOption mainClassesOnly = location -> !location.contains("/test-classes/");
        classes = new ClassFileImporter().withImportOption(mainClassesOnly).importPackages("dev.quiesce");
    }

    @Test
    void theQueueKnowsNothingOfThreadsChildrenOrTransport() {
        noClasses().that().resideInAPackage("dev.quiesce.queue..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quiesce.dispatch..", "dev.quiesce.child..", "dev.quiesce.web..")
                .check(classes);
    }

    /** The sweep knows the schema of what it prunes, not the code that writes it. */
    @Test
    void theRetentionSweepKnowsNothingOfJobsThreadsChildrenOrTransport() {
        noClasses().that().resideInAPackage("dev.quiesce.retention..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quiesce.job..", "dev.quiesce.dispatch..", "dev.quiesce.child..", "dev.quiesce.web..")
                .check(classes);
    }

    @Test
    void jobsKnowNothingOfTransportOrDispatch() {
        noClasses().that().resideInAPackage("dev.quiesce.job..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quiesce.web..", "dev.quiesce.dispatch..", "dev.quiesce.queue..", "dev.quiesce.child..")
                .check(classes);
    }

    @Test
    void theApiHoldsNoBusinessLogicOfTheDispatcher() {
        noClasses().that().resideInAPackage("dev.quiesce.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quiesce.dispatch..", "dev.quiesce.child..")
                .check(classes);
    }

    /** What users compile against depends on nothing internal: internals may change, the API may not. */
    @Test
    void thePublicApiDependsOnNothingInternal() {
        classes().that().resideInAPackage("dev.quiesce.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.quiesce.api..", "java..", "jakarta.validation..")
                .check(classes);
    }

    /** The child's side of the API travels into child JVMs, which carry nothing but the JDK (sun.misc.Signal is the JDK's too). */
    @Test
    void theChildApiAndTheChildsCodeUseOnlyTheJdk() {
        classes().that().resideInAnyPackage("dev.quiesce.api.child..", "dev.quiesce.child.worker..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.quiesce.api.child..", "dev.quiesce.child.worker..", "java..", "sun.misc..")
                .check(classes);
    }

    @Test
    void childSideCodeImportsNoSpring() {
        noClasses().that().resideInAPackage("dev.quiesce.child.worker..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void noClassIsNamedManagerHelperOrUtil() {
        noClasses().should().haveSimpleNameEndingWith("Manager")
                .orShould().haveSimpleNameEndingWith("Helper")
                .orShould().haveSimpleNameEndingWith("Util")
                .orShould().haveSimpleNameEndingWith("Utils")
                .check(classes);
    }

    @Test
    void stopCodeNeverCallsSystemExit() {
        noClasses().that().resideOutsideOfPackage("dev.quiesce.child.worker..")
                .should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .orShould().callMethod(Runtime.class, "exit", int.class)
                .check(classes);
    }
}
