package dev.berth.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module boundaries STYLE.md sets, checked on every build. */
@AnalyzeClasses(
    packages = "dev.berth.service",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule domainHasNoFramework =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..service.containergroup..",
              "..service.scheduling..",
              "..service.reconciliation..",
              "..service.metering..",
              "..service.workload..",
              "..service.probing..",
              "..service.images..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "jakarta.persistence..",
              "tools.jackson..",
              "com.fasterxml.jackson..",
              "com.github.dockerjava..",
              "dev.berth.api..",
              "io.github.resilience4j..",
              "dev.berth.runtime.docker..",
              "dev.berth.service.web..",
              "dev.berth.service.persistence..",
              "dev.berth.billing.persistence..",
              "dev.berth.service.config..",
              "dev.berth.service.observability..",
              "io.micrometer..");

  @ArchTest
  static final ArchRule dockerOnlyThroughThePortOutsideConfig =
      noClasses()
          .that()
          .resideOutsideOfPackage("..service.config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.berth.runtime.docker..", "com.github.dockerjava..");

  /** A port lives with its caller or in a neutral package, never where its implementer looks. */
  @ArchTest
  static final ArchRule noPackageCycles =
      com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
          .matching("dev.berth.service.(*)..")
          .should()
          .beFreeOfCycles();

  @ArchTest
  static final ArchRule generatedApiTypesStayAtTheEdge =
      noClasses()
          .that()
          .resideOutsideOfPackages("..service.web..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.berth.api..");
}
