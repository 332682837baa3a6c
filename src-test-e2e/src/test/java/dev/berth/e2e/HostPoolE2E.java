package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.LocationApi;
import dev.berth.sdk.model.ContainerGroup;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pool of two real Docker engines (scripts/test starts the second) plus one that accepts
 * connections and never answers. Each real engine offers 1 vCPU to groups.
 */
class HostPoolE2E {

  private static final String ENGINE_A = "unix:///var/run/docker.sock";
  private static String engineB;
  private static HungEngine hung;
  private static BerthProcess berth;

  @BeforeAll
  static void startPool() throws Exception {
    engineB = System.getenv("BERTH_TEST_SECOND_DOCKER_HOST");
    assertThat(engineB)
        .as("BERTH_TEST_SECOND_DOCKER_HOST: ./scripts/test starts a second engine and sets it")
        .isNotBlank();
    hung = new HungEngine(Files.createTempDirectory("berth-hung").resolve("docker.sock"));
    // The engines report this machine's CPUs; offer exactly 1 vCPU of them (floor can leave 0.999).
    double fraction = 1.0 / Runtime.getRuntime().availableProcessors();
    berth =
        BerthProcess.start(
            List.of(
                "--berth.hosts.register[0].id=a",
                "--berth.hosts.register[0].endpoint=" + ENGINE_A,
                "--berth.hosts.register[0].cpu-allocatable=" + fraction,
                "--berth.hosts.register[1].id=b",
                "--berth.hosts.register[1].endpoint=" + engineB,
                "--berth.hosts.register[1].cpu-allocatable=" + fraction,
                "--berth.hosts.register[2].id=hung",
                "--berth.hosts.register[2].endpoint=" + hung.endpoint(),
                "--berth.hosts.register[2].connect-timeout=1s",
                "--berth.hosts.register[2].response-timeout=2s"));
  }

  @AfterAll
  static void stopPool() throws Exception {
    if (berth != null) {
      berth.stop();
    }
    if (hung != null) {
      hung.close();
    }
  }

  @Test
  void groupsSpreadOverTheEnginesThatAnswerAndTheHungOneIsLeftOut() throws Exception {
    var api = new ContainerGroupsApi(berth.adminClient());
    String sub = Groups.unique("pool");

    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "first",
        API_VERSION,
        Groups.group("Always", Groups.container("main", 0.75, 0.125, "sleep", "3600")));
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "second",
        API_VERSION,
        Groups.group("Always", Groups.container("main", 0.75, 0.125, "sleep", "3600")));
    ContainerGroup first = Groups.awaitState(api, sub, "rg", "first", "Running");
    ContainerGroup second = Groups.awaitState(api, sub, "rg", "second", "Running");

    // Neither engine has room for both: one group each, never the engine that does not answer.
    assertThat(Set.of(first.getProperties().getHostName(), second.getProperties().getHostName()))
        .containsExactlyInAnyOrder("a", "b");
    for (ContainerGroup g : List.of(first, second)) {
      String endpoint = g.getProperties().getHostName().equals("a") ? ENGINE_A : engineB;
      String other = g.getProperties().getHostName().equals("a") ? engineB : ENGINE_A;
      assertThat(new EngineSocket(endpoint).containersOf(sub, g.getName()))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.get("State").asText()).isEqualTo("running");
                assertThat(c.get("Labels").get("dev.berth.subscription").asText()).isEqualTo(sub);
              });
      assertThat(new EngineSocket(other).containersOf(sub, g.getName())).isEmpty();
    }

    // A third does not fit anywhere, and the answer says what would.
    assertThatThrownBy(
            () ->
                api.containerGroupsCreateOrUpdate(
                    sub,
                    "rg",
                    "third",
                    API_VERSION,
                    Groups.group("Always", Groups.container("main", 0.75, 0.125, "sleep", "3600"))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody())
                  .contains("\"code\":\"InsufficientCapacity\"")
                  .containsPattern("the roomiest host has 0\\.2[0-9]* vCPU");
            });
    var capabilities =
        new LocationApi(berth.adminClient())
            .locationListCapabilities(sub, "local", API_VERSION)
            .getValue();
    assertThat(capabilities.get(0).getCapabilities().getMaxCpu()).isLessThanOrEqualTo(1.0);

    for (String name : List.of("first", "second")) {
      assertThat(
              api.containerGroupsDeleteWithHttpInfo(sub, "rg", name, API_VERSION).getStatusCode())
          .isEqualTo(200);
    }
    for (String endpoint : List.of(ENGINE_A, engineB)) {
      assertThat(new EngineSocket(endpoint).containersLabelled("dev.berth.subscription", sub))
          .isEmpty();
    }
    // The room is free again.
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "again",
        API_VERSION,
        Groups.group("Never", Groups.container("main", 0.75, 0.125, "true")));
    Groups.awaitState(api, sub, "rg", "again", "Succeeded");
    api.containerGroupsDelete(sub, "rg", "again", API_VERSION);
  }

  @Test
  void theHungEngineIsReportedInTheLogAndNothingWaitsOnIt() throws Exception {
    var api = new ContainerGroupsApi(berth.adminClient());
    String sub = Groups.unique("responsive");
    // Many calls in a row: none is held up by the engine that never answers.
    for (int i = 0; i < 20; i++) {
      assertThat(api.containerGroupsList(sub, API_VERSION, null).getValue()).isNullOrEmpty();
    }
    assertThat(Files.readString(berth.log())).contains("host hung did not answer");
  }
}
