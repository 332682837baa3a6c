package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerInstanceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, the safety net under the event stream: Berth talks to the engine through an {@link
 * EventsDroppingProxy}, and while the proxy drops the events API, what is done behind Berth's back
 * on the engine (through its own socket, not the proxy) is still repaired or removed, found by the
 * listing Berth makes of the host every sweep. Each case also shows that the stream really was cut:
 * Berth's events requests were refused and not one event reached it. When the stream is back, the
 * events the engine replays into a host already repaired change nothing, and a group nobody touched
 * is never restarted by any of it.
 */
class SafetyNetE2E {

  private static final Path ENGINE = Path.of("/var/run/docker.sock");

  /**
   * How long a repair may take: BerthProcess sweeps every 2 s (berth.reconcile.sweep-interval) and
   * this class collects orphans every 2 s after a 3 s grace, so this is many listings' worth; the
   * repairs measured are printed.
   */
  private static final Duration WITHIN_LISTINGS = Duration.ofSeconds(30);

  private static final OnTheEngine engine = new OnTheEngine();
  private static final String SUB = Groups.unique("safetynet");
  private static final List<String> GROUPS = new ArrayList<>();

  private static Path dir;
  private static EventsDroppingProxy proxy;
  private static BerthProcess berth;
  private static ContainerGroupsApi api;
  private static Running bystander;

  /** A group's one running container as the API and the engine show it. */
  record Running(
      String group,
      String containerId,
      int restartCount,
      OffsetDateTime startTime,
      Instant engineStartedAt,
      Map<String, String> labels) {}

  @BeforeAll
  static void startBerthBehindTheProxy() throws Exception {
    dir = Files.createTempDirectory("berth-safety-net");
    proxy = new EventsDroppingProxy(dir.resolve("docker.sock"), ENGINE);
    berth =
        BerthProcess.start(
            List.of(
                "--berth.hosts.register[0].id=proxied",
                "--berth.hosts.register[0].endpoint=" + proxy.endpoint(),
                "--berth.reconcile.orphan-grace=3s",
                "--berth.reconcile.orphan-sweep-interval=2s",
                // Short windows, so a stream that is back has ended its first window within
                // seconds.
                "--berth.reconcile.event-window=3s"));
    api = new ContainerGroupsApi(berth.adminClient());
    // Nobody touches it: no case may restart it.
    bystander = create("bystander");
  }

  @AfterAll
  static void stopBerthAndProxy() throws Exception {
    try {
      if (api != null) {
        Groups.deleteQuietly(api, SUB, "rg", GROUPS);
      }
      if (berth != null) {
        berth.stop();
      }
    } finally {
      if (proxy != null) {
        proxy.close();
        Files.deleteIfExists(dir);
      }
      // Whatever a failed case started by hand and Berth did not remove.
      for (Container c : engine.containers(Map.of("dev.berth.subscription", SUB))) {
        engine.remove(c.getId());
      }
    }
  }

  /** A case that failed while dropping leaves the stream to the next one whole. */
  @AfterEach
  void letEventsThrough() {
    proxy.stopDropping();
  }

  @Test
  void aContainerKilledOnTheEngineIsRestartedWithoutEvents() throws Exception {
    Running before = create("killed");
    long delivered = cutEvents();

    Instant killedAt = Instant.now();
    engine.kill(before.containerId());
    Running after = awaitRestarted(before, killedAt);

    assertThat(after.restartCount()).isEqualTo(1);
    assertThat(after.containerId()).isEqualTo(before.containerId());
    assertNoEventReachedBerthSince(delivered);
    assertUntouched(bystander);
  }

  @Test
  void aContainerRemovedOnTheEngineIsCreatedAgainWithoutEvents() throws Exception {
    Running before = create("removed");
    long delivered = cutEvents();

    long removedAt = System.nanoTime();
    engine.remove(before.containerId());
    Running after = awaitRecreated(before);
    System.out.printf(
        "safety net: a removed container ran again %.1f s later%n",
        (System.nanoTime() - removedAt) / 1e9);

    // A container created again counts as a restart of it, as ACI counts them, and the run that
    // vanished is recorded as the previous state, with an event saying what happened.
    assertThat(after.restartCount()).isEqualTo(1);
    assertThat(engine.containers(groupLabels("removed"))).singleElement();
    ContainerInstanceView view = instanceView("removed");
    assertThat(view.getPreviousState().getState()).isEqualTo("Terminated");
    assertThat(view.getPreviousState().getDetailStatus()).isEqualTo("ContainerMissing");
    assertThat(view.getPreviousState().getStartTime()).isEqualTo(before.startTime());
    assertThat(view.getEvents()).anyMatch(e -> "Missing".equals(e.getName()));
    assertNoEventReachedBerthSince(delivered);
    assertUntouched(bystander);
  }

  @Test
  void containersStartedByHandWithBerthsLabelsAreRemovedWithoutEvents() throws Exception {
    Running crowded = create("crowded");
    long delivered = cutEvents();

    long startedAt = System.nanoTime();
    String extra = engine.startByHand("extra", crowded.labels());
    String ghost = engine.startByHand("ghost", ghostLabels(crowded.labels(), "ghost"));
    awaitGone(List.of(extra, ghost));
    System.out.printf(
        "safety net: hand-started containers removed %.1f s later%n",
        (System.nanoTime() - startedAt) / 1e9);

    // Berth's own copy of the crowded group was left as it was.
    assertUntouched(crowded);
    assertThat(engine.containers(groupLabels("ghost"))).isEmpty();
    assertNoEventReachedBerthSince(delivered);
    assertUntouched(bystander);
  }

  @Test
  void eventsLostWhileTheStreamReconnectsChangeNothing() throws Exception {
    Running killed = create("lost-kill");
    Running removed = create("lost-remove");
    Running calm = create("lost-calm");
    long delivered = cutEvents();

    Instant killedAt = Instant.now();
    engine.kill(killed.containerId());
    engine.remove(removed.containerId());
    String ghost = engine.startByHand("lost-ghost", ghostLabels(calm.labels(), "lost-ghost"));
    Running restarted = awaitRestarted(killed, killedAt);
    Running recreated = awaitRecreated(removed);
    awaitGone(List.of(ghost));
    assertNoEventReachedBerthSince(delivered);

    // The stream comes back. It goes on from where the cut one began, so the engine replays what
    // it still holds of the kill, the removal and the ghost's removal into a host already repaired.
    int forwarded = proxy.forwardedEventRequests();
    long beforeReplay = proxy.eventsDelivered();
    proxy.stopDropping();
    await("the event stream to be followed again and its first window to end")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> proxy.forwardedEventRequests() >= forwarded + 2);
    System.out.printf(
        "safety net: the reconnected stream carried %d events%n",
        proxy.eventsDelivered() - beforeReplay);

    // Then a few more windows, each longer than a sweep: whatever those events woke, and the
    // sweeps since, changed nothing.
    awaitWindows(3, List.of("lost-kill", "lost-remove", "lost-calm"));
    Running killedNow = running("lost-kill");
    assertThat(killedNow.restartCount()).isEqualTo(1);
    assertThat(killedNow.containerId()).isEqualTo(restarted.containerId());
    assertThat(killedNow.startTime()).isEqualTo(restarted.startTime());
    assertUntouched(recreated);
    assertUntouched(calm);
    assertUntouched(bystander);
    assertThat(engine.containers(groupLabels("lost-ghost"))).isEmpty();
  }

  /** Creates an Always sleeper and returns it running. */
  private static Running create(String group) throws Exception {
    GROUPS.add(group);
    api.containerGroupsCreateOrUpdate(SUB, "rg", group, API_VERSION, Groups.sleeper("Always"));
    Groups.awaitState(api, SUB, "rg", group, "Running");
    return running(group);
  }

  /**
   * The group as it runs now: the API says Running and the engine holds exactly one container of
   * it, running.
   */
  private static Running running(String group) throws Exception {
    ContainerGroup g = api.containerGroupsGet(SUB, "rg", group, API_VERSION);
    assertThat(g.getProperties().getInstanceView().getState()).as(group).isEqualTo("Running");
    ContainerInstanceView view =
        g.getProperties().getContainers().get(0).getProperties().getInstanceView();
    assertThat(view.getCurrentState().getState()).as(group).isEqualTo("Running");
    Container only = onlyContainer(group);
    assertThat(only.getState()).as(group).isEqualTo("running");
    return new Running(
        group,
        only.getId(),
        view.getRestartCount(),
        view.getCurrentState().getStartTime(),
        engine.startedAt(only.getId()),
        only.getLabels());
  }

  /** Drops the events API and waits until Berth's stream is cut and a reconnect was refused. */
  private static long cutEvents() {
    int refused = proxy.refusedEventRequests();
    proxy.startDropping();
    await("Berth's next events request to be refused")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> proxy.refusedEventRequests() > refused);
    return proxy.eventsDelivered();
  }

  private static void assertNoEventReachedBerthSince(long delivered) {
    assertThat(proxy.eventsDelivered()).as("events that reached Berth").isEqualTo(delivered);
  }

  /** Waits for the killed container to run again, one container of the group at every look. */
  private static Running awaitRestarted(Running before, Instant killedAt) throws Exception {
    await(before.group() + " to run again after its container was killed")
        .atMost(WITHIN_LISTINGS)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Container> containers = engine.containers(groupLabels(before.group()));
              assertThat(containers).as(before.group()).hasSizeLessThanOrEqualTo(1);
              return containers.size() == 1
                  && "running".equals(containers.get(0).getState())
                  && engine.startedAt(containers.get(0).getId()).isAfter(killedAt)
                  && restartCount(before.group()) > before.restartCount();
            });
    System.out.printf(
        "safety net: a killed container ran again %.1f s later%n",
        Duration.between(killedAt, Instant.now()).toMillis() / 1e3);
    return running(before.group());
  }

  /** Waits for a new container of the group to run in place of the removed one. */
  private static Running awaitRecreated(Running before) throws Exception {
    await(before.group() + " to run again after its container was removed")
        .atMost(WITHIN_LISTINGS)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Container> containers = engine.containers(groupLabels(before.group()));
              assertThat(containers).as(before.group()).hasSizeLessThanOrEqualTo(1);
              return containers.size() == 1
                  && !containers.get(0).getId().equals(before.containerId())
                  && "running".equals(containers.get(0).getState())
                  && "Running".equals(instanceView(before.group()).getCurrentState().getState());
            });
    return running(before.group());
  }

  private static void awaitGone(List<String> containerIds) {
    await("containers " + containerIds + " to be removed")
        .atMost(WITHIN_LISTINGS)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                engine.containers(Map.of("dev.berth.subscription", SUB)).stream()
                    .noneMatch(c -> containerIds.contains(c.getId())));
  }

  /**
   * Waits until Berth has followed the stream for {@code windows} more windows, seeing exactly one
   * container of each of {@code groups} at every look; a window (3 s) is longer than a sweep (2 s),
   * so at least as many sweeps have listed the host meanwhile.
   */
  private static void awaitWindows(int windows, List<String> groups) {
    int forwarded = proxy.forwardedEventRequests();
    await(windows + " more event windows")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (String group : groups) {
                assertThat(engine.containers(groupLabels(group))).as(group).hasSize(1);
              }
              return proxy.forwardedEventRequests() >= forwarded + windows;
            });
  }

  /** Neither the API nor the engine shows that anything happened to the group since {@code was}. */
  private static void assertUntouched(Running was) throws Exception {
    Running now = running(was.group());
    assertThat(now.restartCount()).as(was.group()).isEqualTo(was.restartCount());
    assertThat(now.containerId()).as(was.group()).isEqualTo(was.containerId());
    assertThat(now.startTime()).as(was.group()).isEqualTo(was.startTime());
    assertThat(now.engineStartedAt()).as(was.group()).isEqualTo(was.engineStartedAt());
  }

  /**
   * Berth's labels for a group {@code name} that does not exist, in this Berth's installation (read
   * from a container it created).
   */
  private static Map<String, String> ghostLabels(Map<String, String> ofAGroup, String name) {
    Map<String, String> labels = new HashMap<>(ofAGroup);
    labels.put("dev.berth.group-id", UUID.randomUUID().toString());
    labels.put("dev.berth.group-name", name);
    return labels;
  }

  private static Container onlyContainer(String group) {
    List<Container> containers = engine.containers(groupLabels(group));
    assertThat(containers).as("containers of %s on the engine", group).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, String> groupLabels(String group) {
    return Map.of("dev.berth.subscription", SUB, "dev.berth.group-name", group);
  }

  private static ContainerInstanceView instanceView(String group) throws Exception {
    return api.containerGroupsGet(SUB, "rg", group, API_VERSION)
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .getInstanceView();
  }

  private static int restartCount(String group) throws Exception {
    return instanceView(group).getRestartCount();
  }
}
