package dev.portico.compiler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the snapshot model free of Kubernetes and Vert.x, and the compiler free of clients. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.portico");

  @Test
  void snapshotKnowsNeitherKubernetesNorVertx() {
    noClasses()
        .that()
        .resideInAPackage("dev.portico.snapshot..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.vertx..", "dev.portico.api..")
        .because("the snapshot is what both halves share; it must not tie them together")
        .check(CLASSES);
  }

  @Test
  void compilerHoldsNoKubernetesClient() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.portico.compiler..", "dev.portico.snapshot..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..", "io.vertx..", "java.net..")
        .because("compile() is a pure function: no client, no I/O")
        .check(CLASSES);
  }

  @Test
  void compilerDoesNoFileIo() {
    noClasses()
        .that()
        .resideInAPackage("dev.portico.compiler")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.nio.file..", "java.io..")
        .because("reading files is the manifest package's job, not the compiler's")
        .check(CLASSES);
  }
}
