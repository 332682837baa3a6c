package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerExec;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerHttpGet;
import dev.berth.sdk.model.ContainerInstanceView;
import dev.berth.sdk.model.ContainerProbe;
import dev.berth.sdk.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness probes on the real engine, through the SDK: an HTTP liveness probe whose
 * server stops serving the checked file has its container killed and restarted in place; an exec
 * readiness probe toggled by a file makes the container unready and ready again.
 */
class ProbesE2E {

  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainerGroupActionsApi actions =
      new ContainerGroupActionsApi(berth.adminClient());
  private final ContainersApi containers = new ContainersApi(berth.adminClient());

  private ContainerInstanceView view(String sub, String name) throws ApiException {
    return api.containerGroupsGet(sub, "rg", name, API_VERSION)
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .getInstanceView();
  }

  private static List<String> names(ContainerInstanceView view) {
    return view.getEvents().stream().map(Event::getName).toList();
  }

  private static Event event(ContainerInstanceView view, String name) {
    return view.getEvents().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private int exec(String sub, String name, String... argv) throws ApiException {
    return containers
        .containersExecuteCommand(
            sub, "rg", name, "main", API_VERSION, new ContainerExecRequest().argv(List.of(argv)))
        .getExitCode();
  }

  @Test
  void anHttpLivenessProbeThatFailsRestartsTheContainerInPlace() throws Exception {
    String sub = Groups.unique("liveness");
    // Every run writes the file the probe asks for, so the run after the kill is healthy again.
    Container web =
        Groups.container(
            "main",
            0.1,
            0.0625,
            "sh",
            "-c",
            "mkdir -p /tmp/www && echo ok > /tmp/www/health && exec httpd -f -p 8080 -h /tmp/www");
    web.getProperties()
        .livenessProbe(
            new ContainerProbe()
                .httpGet(new ContainerHttpGet().path("/health").port(8080))
                .initialDelaySeconds(1)
                .periodSeconds(1)
                .failureThreshold(2));
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "web", API_VERSION, Groups.group("Always", web));
      actions.containerGroupsWait(sub, "rg", "web", API_VERSION, "Running", 60);
      // A file of the first run's filesystem shows, after the restart, that it was in place.
      assertThat(exec(sub, "web", "touch", "/tmp/first-run")).isZero();
      assertThat(exec(sub, "web", "rm", "/tmp/www/health")).isZero();

      await("the container killed by its liveness probe to run again")
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                ContainerInstanceView v = view(sub, "web");
                return v.getRestartCount() == 1 && "Running".equals(v.getCurrentState().getState());
              });

      ContainerInstanceView v = view(sub, "web");
      assertThat(names(v))
          .containsExactly("Created", "Started", "Unhealthy", "Killing", "BackOff", "Started");
      Event unhealthy = event(v, "Unhealthy");
      assertThat(unhealthy.getType()).isEqualTo("Warning");
      assertThat(unhealthy.getCount()).isEqualTo(2);
      assertThat(unhealthy.getMessage())
          .isEqualTo("Liveness probe failed: HTTP probe failed with statuscode: 404");
      assertThat(event(v, "Killing").getMessage())
          .isEqualTo("Container main failed liveness probe, will be restarted");
      assertThat(v.getPreviousState().getState()).isEqualTo("Terminated");
      assertThat(v.getPreviousState().getDetailStatus()).isEqualTo("LivenessProbeFailed");
      assertThat(exec(sub, "web", "test", "-f", "/tmp/first-run")).as("in place").isZero();
      assertThat(exec(sub, "web", "test", "-f", "/tmp/www/health")).isZero();
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("web"));
    }
  }

  @Test
  void anExecReadinessProbeMakesTheContainerUnreadyAndReadyAgain() throws Exception {
    String sub = Groups.unique("readiness");
    Container app =
        Groups.container("main", 0.1, 0.0625, "sh", "-c", "touch /tmp/ready; exec sleep 3600");
    app.getProperties()
        .readinessProbe(
            new ContainerProbe()
                .exec(new ContainerExec().command(List.of("test", "-f", "/tmp/ready")))
                .initialDelaySeconds(1)
                .periodSeconds(1)
                .failureThreshold(1));
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "app", API_VERSION, Groups.group("Always", app));

      ContainerGroup ready =
          actions.containerGroupsWait(sub, "rg", "app", API_VERSION, "Ready", 60);
      assertThat(ready.getProperties().getInstanceView().getReady()).isTrue();
      assertThat(ready.getProperties().getInstanceView().getReadyContainers()).isEqualTo(1);
      assertThat(
              ready
                  .getProperties()
                  .getContainers()
                  .get(0)
                  .getProperties()
                  .getInstanceView()
                  .getReady())
          .isTrue();

      assertThat(exec(sub, "app", "rm", "/tmp/ready")).isZero();
      await("the container to be unready")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Boolean.FALSE.equals(view(sub, "app").getReady()));
      ContainerGroup unready = api.containerGroupsGet(sub, "rg", "app", API_VERSION);
      assertThat(unready.getProperties().getInstanceView().getState()).isEqualTo("Running");
      assertThat(unready.getProperties().getInstanceView().getReady()).isFalse();
      assertThat(unready.getProperties().getInstanceView().getReadyContainers()).isZero();

      assertThat(exec(sub, "app", "touch", "/tmp/ready")).isZero();
      ContainerGroup again =
          actions.containerGroupsWait(sub, "rg", "app", API_VERSION, "Ready", 60);
      assertThat(again.getProperties().getInstanceView().getReady()).isTrue();

      ContainerInstanceView v = view(sub, "app");
      assertThat(names(v)).containsExactly("Created", "Started", "Ready", "Unhealthy", "Ready");
      assertThat(event(v, "Unhealthy").getMessage())
          .isEqualTo("Readiness probe failed: command exited with code 1");
      assertThat(event(v, "Ready").getMessage())
          .isEqualTo("Readiness probe succeeded: container main is ready");
      assertThat(v.getRestartCount()).isZero();
      assertThat(v.getCurrentState().getState()).isEqualTo("Running");
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("app"));
    }
  }

  @Test
  void aProbeWithTwoHandlersIsRefusedNamingTheField() {
    String sub = Groups.unique("badprobe");
    Container c = Groups.container("main", 0.1, 0.0625, "sleep", "60");
    c.getProperties()
        .livenessProbe(
            new ContainerProbe()
                .exec(new ContainerExec().command(List.of("true")))
                .httpGet(new ContainerHttpGet().port(80)));

    assertThatThrownBy(
            () ->
                api.containerGroupsCreateOrUpdate(
                    sub, "rg", "bad", API_VERSION, Groups.group("Always", c)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody())
                  .contains("\"code\":\"InvalidProbe\"")
                  .contains("\"target\":\"properties.containers[0].properties.livenessProbe\"");
            });
    assertThatThrownBy(() -> api.containerGroupsGet(sub, "rg", "bad", API_VERSION))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }
}
