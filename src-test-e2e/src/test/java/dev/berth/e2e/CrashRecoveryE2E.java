package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ContainerGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the service in the middle of creating groups: after a restart everything converges.
 */
class CrashRecoveryE2E {

  private static final String ENGINE = "unix:///var/run/docker.sock";

  @Test
  void groupsCreatedAroundAKillConvergeWithExactlyOneContainerEach() throws Exception {
    BerthProcess berth = BerthProcess.start(List.of());
    String sub = Groups.unique("crash");
    var api = new ContainerGroupsApi(berth.adminClient());

    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "steady",
        API_VERSION,
        Groups.group("Always", Groups.container("main", 0.1, 0.0625, "sleep", "3600")));
    ContainerGroup steadyBefore = Groups.awaitState(api, sub, "rg", "steady", "Running");

    List<String> names = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String name = "burst-" + i;
      api.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          name,
          API_VERSION,
          Groups.group("Always", Groups.container("main", 0.1, 0.0625, "sleep", "3600")));
      names.add(name);
    }
    // Accepted groups are in every stage now: queued, created, started, or recorded.
    berth.kill();

    BerthProcess restarted = berth.restart();
    try {
      var after = new ContainerGroupsApi(restarted.adminClient());
      for (String name : names) {
        Groups.awaitState(after, sub, "rg", name, "Running");
        JsonNode containers = new EngineSocket(ENGINE).containersOf(sub, name);
        assertThat(containers)
            .as(name)
            .singleElement()
            .satisfies(
                c ->
                    assertThat(c.get("Labels").get("dev.berth.subscription").asText())
                        .isEqualTo(sub));
      }
      // The group that ran through the crash was adopted, not restarted.
      ContainerGroup steadyAfter = Groups.awaitState(after, sub, "rg", "steady", "Running");
      var before =
          steadyBefore.getProperties().getContainers().get(0).getProperties().getInstanceView();
      var now =
          steadyAfter.getProperties().getContainers().get(0).getProperties().getInstanceView();
      assertThat(now.getRestartCount()).isZero();
      assertThat(now.getCurrentState().getStartTime())
          .isEqualTo(before.getCurrentState().getStartTime());
      assertThat(new EngineSocket(ENGINE).containersOf(sub, "steady")).hasSize(1);

      for (String name : names) {
        after.containerGroupsDelete(sub, "rg", name, API_VERSION);
      }
      after.containerGroupsDelete(sub, "rg", "steady", API_VERSION);
      assertThat(new EngineSocket(ENGINE).containersLabelled("dev.berth.subscription", sub))
          .isEmpty();
    } finally {
      restarted.stop();
    }
  }
}
