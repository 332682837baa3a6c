package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import dev.berth.sdk.ApiException;
import dev.berth.sdk.ApiResponse;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerState;
import dev.berth.sdk.model.EnvironmentVariable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** A group's whole life through the SDK, checked against what the Docker engine really holds. */
class ContainerGroupLifecycleE2E {

  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final DockerClient docker = DockerClientFactory.instance().client();

  private List<Container> containersOf(String groupId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("dev.berth.group-id", groupId))
        .exec();
  }

  @Test
  void createRunInspectAndDelete() throws Exception {
    String sub = Groups.unique("sub");
    String name = Groups.unique("web");
    ContainerGroup body =
        Groups.group("Always", Groups.container("main", 0.5, 0.25, "sleep", "3600"));
    body.getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .environmentVariables(
            List.of(
                new EnvironmentVariable().name("GREETING").value("hello"),
                new EnvironmentVariable().name("TOKEN").secureValue("canary-e2e-secret")));
    body.putTagsItem("team", "platform");

    OffsetDateTime before = OffsetDateTime.now();
    ApiResponse<ContainerGroup> created =
        api.containerGroupsCreateOrUpdateWithHttpInfo(sub, "rg1", name, API_VERSION, body);

    assertThat(created.getStatusCode()).isEqualTo(201);
    ContainerGroup accepted = created.getData();
    assertThat(accepted.getId())
        .isEqualTo(
            "/subscriptions/"
                + sub
                + "/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups/"
                + name);
    assertThat(accepted.getType()).isEqualTo("Microsoft.ContainerInstance/containerGroups");
    assertThat(accepted.getProperties().getProvisioningState())
        .isIn("Pending", "Creating", "Succeeded");

    ContainerGroup running = Groups.awaitState(api, sub, "rg1", name, "Running");
    assertThat(running.getProperties().getProvisioningState()).isEqualTo("Succeeded");
    assertThat(running.getTags()).containsEntry("team", "platform");
    var main = running.getProperties().getContainers().get(0);
    ContainerState current = main.getProperties().getInstanceView().getCurrentState();
    assertThat(current.getState()).isEqualTo("Running");
    assertThat(current.getStartTime()).isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(main.getProperties().getInstanceView().getEvents())
        .extracting(e -> e.getName())
        .contains("Created", "Started");
    assertThat(main.getProperties().getEnvironmentVariables())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("TOKEN");
              assertThat(v.getSecureValue()).isNull();
              assertThat(v.getValue()).isNull();
            });

    String groupId = containerIdLabel(sub, name);
    List<Container> onEngine = containersOf(groupId);
    assertThat(onEngine).hasSize(1);
    InspectContainerResponse inspected = docker.inspectContainerCmd(onEngine.get(0).getId()).exec();
    var host = inspected.getHostConfig();
    assertThat(inspected.getState().getRunning()).isTrue();
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(host.getMemory()).isEqualTo(256L * 1024 * 1024);
    assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getSecurityOpts()).contains("no-new-privileges:true");
    assertThat(host.getPidsLimit()).isPositive();
    assertThat(host.getInit()).isTrue();
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd())
        .doesNotContain(Capability.NET_RAW, Capability.SYS_ADMIN, Capability.NET_ADMIN);
    assertThat(host.getLogConfig().getType().getType()).isEqualTo("json-file");
    assertThat(host.getLogConfig().getConfig()).containsKeys("max-size", "max-file");
    assertThat(host.getNetworkMode()).isEqualTo("bridge");
    assertThat(host.getBinds()).isNullOrEmpty();
    assertThat(host.getRestartPolicy().getName()).isIn(null, "", "no");
    assertThat(inspected.getConfig().getLabels())
        .containsEntry("dev.berth.managed", "true")
        .containsEntry("dev.berth.container", "main")
        .containsEntry("dev.berth.generation", "1");

    assertThat(api.containerGroupsListByResourceGroup(sub, "rg1", API_VERSION, null).getValue())
        .extracting(ContainerGroup::getName)
        .containsExactly(name);
    assertThat(api.containerGroupsList(sub, API_VERSION, null).getValue())
        .extracting(ContainerGroup::getName)
        .containsExactly(name);

    ApiResponse<ContainerGroup> deleted =
        api.containerGroupsDeleteWithHttpInfo(sub, "rg1", name, API_VERSION);
    assertThat(deleted.getStatusCode()).isEqualTo(200);
    assertThat(deleted.getData().getName()).isEqualTo(name);
    assertThat(containersOf(groupId)).isEmpty();
    assertThatThrownBy(() -> api.containerGroupsGet(sub, "rg1", name, API_VERSION))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getResponseBody()).contains("\"code\":\"ResourceNotFound\"");
            });
    assertThat(api.containerGroupsDeleteWithHttpInfo(sub, "rg1", name, API_VERSION).getStatusCode())
        .isEqualTo(204);

    assertThat(java.nio.file.Files.readString(berth.log())).doesNotContain("canary-e2e-secret");
  }

  @Test
  void aGroupOfTwoContainersRunsBothWithTheirOwnSizes() throws Exception {
    String sub = Groups.unique("sub");
    String name = Groups.unique("pair");
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg1",
        name,
        API_VERSION,
        Groups.group(
            "Always",
            Groups.container("first", 0.25, 0.125, "sleep", "3600"),
            Groups.container("second", 0.75, 0.5, "sleep", "3600")));

    ContainerGroup running = Groups.awaitState(api, sub, "rg1", name, "Running");

    assertThat(running.getProperties().getContainers())
        .allSatisfy(
            c ->
                assertThat(c.getProperties().getInstanceView().getCurrentState().getState())
                    .isEqualTo("Running"));
    Map<String, Long> nanoCpus = new java.util.HashMap<>();
    for (Container c : containersOf(containerIdLabel(sub, name))) {
      var inspected = docker.inspectContainerCmd(c.getId()).exec();
      nanoCpus.put(
          inspected.getConfig().getLabels().get("dev.berth.container"),
          inspected.getHostConfig().getNanoCPUs());
    }
    // And the sandbox holding their shared network namespace, which only sleeps.
    assertThat(nanoCpus)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("first", 250_000_000L, "second", 750_000_000L, "_sandbox", 10_000_000L));
    api.containerGroupsDelete(sub, "rg1", name, API_VERSION);
  }

  @Test
  void aNeverGroupRunsToCompletionWithTheEnginesTimes() throws Exception {
    String sub = Groups.unique("sub");
    String name = Groups.unique("job");
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg1",
        name,
        API_VERSION,
        Groups.group(
            "Never", Groups.container("main", 0.25, 0.125, "sh", "-c", "sleep 1; exit 0")));

    ContainerGroup done = Groups.awaitState(api, sub, "rg1", name, "Succeeded");

    ContainerState state =
        done.getProperties()
            .getContainers()
            .get(0)
            .getProperties()
            .getInstanceView()
            .getCurrentState();
    assertThat(state.getState()).isEqualTo("Terminated");
    assertThat(state.getExitCode()).isZero();
    assertThat(state.getDetailStatus()).isEqualTo("Completed");
    InspectContainerResponse inspected =
        docker.inspectContainerCmd(containersOf(containerIdLabel(sub, name)).get(0).getId()).exec();
    assertThat(state.getStartTime().toInstant())
        .isEqualTo(java.time.Instant.parse(inspected.getState().getStartedAt()));
    assertThat(state.getFinishTime().toInstant())
        .isEqualTo(java.time.Instant.parse(inspected.getState().getFinishedAt()));
    // `sleep 1` ran in between; the engine records StartedAt a moment after the process starts.
    assertThat(Duration.between(state.getStartTime(), state.getFinishTime()))
        .isGreaterThan(Duration.ofMillis(900));
    api.containerGroupsDelete(sub, "rg1", name, API_VERSION);
  }

  @Test
  void anImageTheHostDoesNotHaveFailsTheGroupWithTheReason() throws Exception {
    String sub = Groups.unique("sub");
    String name = Groups.unique("noimg");
    // Never: an Always group would try the pull again after its backoff (see RegistryE2E).
    ContainerGroup body =
        Groups.group("Never", Groups.container("main", 0.25, 0.125, "sleep", "10"));
    body.getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .image("127.0.0.1:1/berth/not-built-here:0");
    api.containerGroupsCreateOrUpdate(sub, "rg1", name, API_VERSION, body);

    ContainerGroup failed = Groups.awaitState(api, sub, "rg1", name, "Failed");

    assertThat(failed.getProperties().getProvisioningState()).isEqualTo("Failed");
    assertThat(failed.getProperties().getInstanceView().getEvents())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .startsWith("main: RegistryUnreachable: ")
                  .contains("127.0.0.1:1/berth/not-built-here:0");
            });
    api.containerGroupsDelete(sub, "rg1", name, API_VERSION);
  }

  /** The group's id, from the ownership labels of its containers on the engine. */
  private String containerIdLabel(String sub, String name) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("dev.berth.subscription", sub, "dev.berth.group-name", name))
        .exec()
        .stream()
        .map(c -> c.getLabels().get("dev.berth.group-id"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container of " + name + " on the engine"));
  }
}
