package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerInstanceView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Restart policies, OOM, stop/start/restart and wait, through the SDK on the real engine. */
class GroupActionsE2E {

  private static final String ENGINE = "unix:///var/run/docker.sock";
  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainerGroupActionsApi actions =
      new ContainerGroupActionsApi(berth.adminClient());

  private static ContainerInstanceView main(ContainerGroup g) {
    return g.getProperties().getContainers().get(0).getProperties().getInstanceView();
  }

  private ContainerGroup create(
      String sub, String name, String policy, double memoryInGb, String... command)
      throws Exception {
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        name,
        API_VERSION,
        Groups.group(policy, Groups.container("main", 0.25, memoryInGb, command)));
    return api.containerGroupsGet(sub, "rg", name, API_VERSION);
  }

  @Test
  void alwaysRestartsACrashingContainerWithBackoff() throws Exception {
    String sub = Groups.unique("always");
    create(sub, "crashy", "Always", 0.125, "sh", "-c", "echo attempt; exit 1");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                main(api.containerGroupsGet(sub, "rg", "crashy", API_VERSION)).getRestartCount()
                    >= 2);
    ContainerGroup g = api.containerGroupsGet(sub, "rg", "crashy", API_VERSION);

    assertThat(g.getProperties().getInstanceView().getState()).isEqualTo("Running");
    assertThat(main(g).getPreviousState().getState()).isEqualTo("Terminated");
    assertThat(main(g).getPreviousState().getExitCode()).isEqualTo(1);
    assertThat(main(g).getPreviousState().getDetailStatus()).isEqualTo("Error");
    assertThat(main(g).getEvents())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("BackOff");
              assertThat(e.getType()).isEqualTo("Warning");
            });
    // Restarted in place: still one container on the engine.
    assertThat(new EngineSocket(ENGINE).containersOf(sub, "crashy")).hasSize(1);
    api.containerGroupsDelete(sub, "rg", "crashy", API_VERSION);
  }

  @Test
  void onFailureRetriesFailuresAndNeverDoesNot() throws Exception {
    String sub = Groups.unique("policies");
    create(sub, "onfailure-ok", "OnFailure", 0.125, "sh", "-c", "exit 0");
    create(sub, "onfailure-bad", "OnFailure", 0.125, "sh", "-c", "exit 3");
    create(sub, "never-bad", "Never", 0.125, "sh", "-c", "exit 3");
    create(sub, "always-ok", "Always", 0.125, "sh", "-c", "exit 0");

    ContainerGroup ok = Groups.awaitState(api, sub, "rg", "onfailure-ok", "Succeeded");
    assertThat(main(ok).getRestartCount()).isZero();
    ContainerGroup neverBad = Groups.awaitState(api, sub, "rg", "never-bad", "Failed");
    assertThat(main(neverBad).getCurrentState().getExitCode()).isEqualTo(3);
    assertThat(main(neverBad).getRestartCount()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                main(api.containerGroupsGet(sub, "rg", "onfailure-bad", API_VERSION))
                        .getRestartCount()
                    >= 1);
    assertThat(
            main(api.containerGroupsGet(sub, "rg", "onfailure-bad", API_VERSION))
                .getPreviousState()
                .getExitCode())
        .isEqualTo(3);

    // Always restarts a container that ended well too, and the group stays Running.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                main(api.containerGroupsGet(sub, "rg", "always-ok", API_VERSION)).getRestartCount()
                    >= 1);
    ContainerGroup alwaysOk = api.containerGroupsGet(sub, "rg", "always-ok", API_VERSION);
    assertThat(alwaysOk.getProperties().getInstanceView().getState()).isEqualTo("Running");
    assertThat(main(alwaysOk).getPreviousState().getExitCode()).isZero();
    assertThat(main(alwaysOk).getPreviousState().getDetailStatus()).isEqualTo("Completed");

    for (String name : new String[] {"onfailure-ok", "onfailure-bad", "never-bad", "always-ok"}) {
      api.containerGroupsDelete(sub, "rg", name, API_VERSION);
    }
  }

  @Test
  void aMemoryHogOverItsLimitIsOomKilled() throws Exception {
    String sub = Groups.unique("oom");
    // Doubles a shell string until the 32 MiB cgroup limit kills it.
    create(sub, "hog", "Never", 0.03125, "sh", "-c", "x=aaaaaaaa; while true; do x=$x$x; done");

    ContainerGroup g = Groups.awaitState(api, sub, "rg", "hog", "Failed");

    assertThat(main(g).getCurrentState().getDetailStatus()).isEqualTo("OOMKilled");
    assertThat(main(g).getCurrentState().getExitCode()).isEqualTo(137);
    assertThat(main(g).getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("OOMKilled"));
    api.containerGroupsDelete(sub, "rg", "hog", API_VERSION);
  }

  @Test
  void stopStartAndRestart() throws Exception {
    String sub = Groups.unique("actions");
    create(sub, "web", "Always", 0.125, "sleep", "3600");
    ContainerGroup running = Groups.awaitState(api, sub, "rg", "web", "Running");
    var firstStart = main(running).getCurrentState().getStartTime();

    var restart = actions.containerGroupsRestartWithHttpInfo(sub, "rg", "web", API_VERSION);
    assertThat(restart.getStatusCode()).isEqualTo(204);
    ContainerGroup restarted = api.containerGroupsGet(sub, "rg", "web", API_VERSION);
    assertThat(main(restarted).getRestartCount()).isEqualTo(1);
    assertThat(main(restarted).getCurrentState().getStartTime()).isAfter(firstStart);

    var stop = actions.containerGroupsStopWithHttpInfo(sub, "rg", "web", API_VERSION);
    assertThat(stop.getStatusCode()).isEqualTo(204);
    ContainerGroup stopped = api.containerGroupsGet(sub, "rg", "web", API_VERSION);
    assertThat(stopped.getProperties().getInstanceView().getState()).isEqualTo("Stopped");
    assertThat(main(stopped).getCurrentState().getState()).isEqualTo("Terminated");
    assertThat(new EngineSocket(ENGINE).containersOf(sub, "web"))
        .singleElement()
        .satisfies(c -> assertThat(c.get("State").asText()).isEqualTo("exited"));

    var start = actions.containerGroupsStartWithHttpInfo(sub, "rg", "web", API_VERSION);
    assertThat(start.getStatusCode()).isEqualTo(202);
    String location = start.getHeaders().get("location").get(0);
    ContainerGroup again =
        actions.containerGroupsWait(sub, "rg", "web", API_VERSION, "Running", 60);
    assertThat(again.getProperties().getInstanceView().getState()).isEqualTo("Running");
    assertThat(main(again).getRestartCount()).isZero();
    assertThat(new EngineSocket(ENGINE).containersOf(sub, "web"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.get("State").asText()).isEqualTo("running");
              assertThat(c.get("Labels").get("dev.berth.generation").asText()).isEqualTo("2");
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> poll(location) == 204);
    assertThat(
            actions.containerGroupsStartWithHttpInfo(sub, "rg", "web", API_VERSION).getStatusCode())
        .isEqualTo(204);

    api.containerGroupsDelete(sub, "rg", "web", API_VERSION);
    assertThatThrownBy(() -> actions.containerGroupsStop(sub, "rg", "web", API_VERSION))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void waitReturnsWhenReachedTimesOutWith202AndSaysWhenItCannotHappen() throws Exception {
    String sub = Groups.unique("wait");
    create(sub, "job", "Never", 0.125, "sh", "-c", "sleep 2; exit 0");

    ContainerGroup done =
        actions.containerGroupsWait(sub, "rg", "job", API_VERSION, "Succeeded,Failed", 60);
    assertThat(done.getProperties().getInstanceView().getState()).isEqualTo("Succeeded");

    var unreachable =
        assertThatThrownBy(
            () -> actions.containerGroupsWait(sub, "rg", "job", API_VERSION, "Running", 5));
    unreachable.isInstanceOfSatisfying(
        ApiException.class,
        e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("WaitConditionUnreachable");
        });

    create(sub, "long", "Always", 0.125, "sleep", "3600");
    var timedOut =
        actions.containerGroupsWaitWithHttpInfo(sub, "rg", "long", API_VERSION, "Succeeded", 1);
    assertThat(timedOut.getStatusCode()).isEqualTo(202);
    assertThat(timedOut.getData().getName()).isEqualTo("long");

    assertThatThrownBy(
            () -> actions.containerGroupsWait(sub, "rg", "long", API_VERSION, "Sleeping", 1))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    api.containerGroupsDelete(sub, "rg", "job", API_VERSION);
    api.containerGroupsDelete(sub, "rg", "long", API_VERSION);
  }

  private int poll(String location) throws Exception {
    HttpResponse<Void> response =
        berth
            .adminClient()
            .getHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(location))
                    .header("Authorization", "Bearer " + berth.adminKey())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return response.statusCode();
  }
}
