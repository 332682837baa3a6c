package dev.berth.service.containergroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GroupValidatorTest {

  private final GroupValidator validator = new GroupValidator(GroupLimits.aciDefaults());

  static ContainerDefinition container(String name, String image, Resources requests) {
    return new ContainerDefinition(name, image, List.of(), List.of(), requests, requests);
  }

  static GroupSpec spec(ContainerDefinition... containers) {
    return new GroupSpec(List.of(containers), RestartPolicy.ALWAYS, "Linux");
  }

  private static final Resources SMALL = new Resources(500, 512);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "web",
        "web-1",
        "0abc",
        "a23456789012345678901234567890123456789012345678901234567890123"
      })
  void acceptsAciGroupNames(String name) {
    assertThat(validator.validateKey(new GroupKey("sub", "rg", name))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-web",
        "web-",
        "Web",
        "web_1",
        "web.1",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void refusesOtherGroupNames(String name) {
    assertThat(validator.validateKey(new GroupKey("sub", "rg", name)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo("InvalidContainerGroupName");
              assertThat(v.target()).isEqualTo("containerGroupName");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox",
        "berth/busybox:1",
        "registry.example.com:5000/team/app:v1.2-rc",
        "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "a_b__c/d-e--f:tag"
      })
  void acceptsImageReferences(String image) {
    assertThat(validator.validateSpec(spec(container("main", image, SMALL)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Busybox",
        "busy box",
        "app:",
        ":tag",
        "app:-tag",
        "/app",
        "app//x",
        "app@sha256:short"
      })
  void refusesMalformedImageReferences(String image) {
    assertThat(validator.validateSpec(spec(container("main", image, SMALL))))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo("InvalidImageName");
              assertThat(v.target()).isEqualTo("properties.containers[0].properties.image");
            });
  }

  @Test
  void refusesDuplicateContainerNames() {
    assertThat(
            validator.validateSpec(
                spec(container("a", "busybox", SMALL), container("a", "busybox", SMALL))))
        .extracting(Violation::code, Violation::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "DuplicateContainerName", "properties.containers[1].name"));
  }

  @Test
  void refusesAGroupWithoutContainers() {
    assertThat(validator.validateSpec(spec()))
        .extracting(Violation::code)
        .containsExactly("ContainerGroupMustHaveContainers");
  }

  @ParameterizedTest
  @CsvSource({
    "4000, 16384, ",
    "4001, 512, ResourceRequestsExceedMaximum",
    "500, 16385, ResourceRequestsExceedMaximum",
    "0, 512, InvalidResourceRequests",
    "9, 512, InvalidResourceRequests",
    "10, 6, ",
    "500, 5, InvalidResourceRequests"
  })
  void boundsRequestsPerGroup(long milliCpu, long memoryMiB, String expectedCode) {
    List<Violation> violations =
        validator.validateSpec(
            spec(container("main", "busybox", new Resources(milliCpu, memoryMiB))));
    if (expectedCode == null) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations).extracting(Violation::code).contains(expectedCode);
    }
  }

  @Test
  void theGroupTotalIsBoundedNotJustEachContainer() {
    Resources three = new Resources(3000, 1024);
    assertThat(
            validator.validateSpec(
                spec(container("a", "busybox", three), container("b", "busybox", three))))
        .extracting(Violation::code, Violation::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "ResourceRequestsExceedMaximum", "properties.containers"));
  }

  @Test
  void limitsMayNotBeBelowRequests() {
    var c =
        new ContainerDefinition(
            "main",
            "busybox",
            List.of(),
            List.of(),
            new Resources(1000, 1024),
            new Resources(500, 1024));
    assertThat(validator.validateSpec(spec(c)))
        .extracting(Violation::code, Violation::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "InvalidResourceLimits",
                "properties.containers[0].properties.resources.limits.cpu"));
  }

  @ParameterizedTest
  @CsvSource({
    "PATH, ",
    "_x1, ",
    "1X, InvalidEnvironmentVariableName",
    "A-B, InvalidEnvironmentVariableName",
    "'', InvalidEnvironmentVariableName"
  })
  void environmentVariableNames(String name, String expectedCode) {
    var c =
        new ContainerDefinition(
            "main",
            "busybox",
            List.of(),
            List.of(new EnvironmentVariable(name, "v", false)),
            SMALL,
            SMALL);
    List<Violation> violations = validator.validateSpec(spec(c));
    if (expectedCode == null) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations)
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.code()).isEqualTo(expectedCode);
                assertThat(v.target())
                    .isEqualTo("properties.containers[0].properties.environmentVariables[0].name");
              });
    }
  }

  @Test
  void refusesDuplicateEnvironmentVariables() {
    var c =
        new ContainerDefinition(
            "main",
            "busybox",
            List.of(),
            List.of(
                new EnvironmentVariable("A", "1", false), new EnvironmentVariable("A", "2", true)),
            SMALL,
            SMALL);
    assertThat(validator.validateSpec(spec(c)))
        .extracting(Violation::code)
        .containsExactly("DuplicateEnvironmentVariableName");
  }

  @Test
  void aSecureValueNeverAppearsInToString() {
    assertThat(new EnvironmentVariable("TOKEN", "canary-secret", true).toString())
        .doesNotContain("canary-secret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1",
        "3",
        "rack-a",
        "eu_west.2",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void acceptsZones(String zone) {
    var c = container("main", "busybox", SMALL);
    assertThat(validator.validateSpec(spec(c).withZone(zone))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "zone 1",
        "a/b",
        "a2345678901234567890123456789012345678901234567890123456789012345"
      })
  void refusesMalformedZonesNamingTheField(String zone) {
    var c = container("main", "busybox", SMALL);
    assertThat(validator.validateSpec(spec(c).withZone(zone)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo("InvalidZone");
              assertThat(v.target()).isEqualTo("zones");
            });
  }
}
