package dev.berth.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Billing's domain is plain Java; SQL and Spring stay in persistence/. */
@AnalyzeClasses(packages = "dev.berth.billing")
class ArchitectureTest {

  @ArchTest
  static final ArchRule domainHasNoFramework =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..billing.metering..",
              "..billing.rating..",
              "..billing.invoicing..",
              "..billing.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "java.sql..",
              "javax.sql..",
              "tools.jackson..",
              "com.fasterxml.jackson..",
              "dev.berth.service..",
              "dev.berth.billing.persistence..");
}
