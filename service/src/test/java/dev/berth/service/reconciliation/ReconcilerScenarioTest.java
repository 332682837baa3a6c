package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupLimits;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.RestartingContainerGroup;
import dev.berth.service.containergroup.StartingContainerGroup;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.scheduling.InsufficientCapacityException;
import dev.berth.service.scheduling.PlacingContainerGroup;
import dev.berth.service.scheduling.Scheduler;
import dev.berth.service.workload.ContainerNotFoundException;
import dev.berth.service.workload.KeepingRunLogs;
import dev.berth.service.workload.ReadingContainerLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whole passes of the reconciler on the fake runtime, with a clock advanced by hand. */
class ReconcilerScenarioTest {

  private static final String INSTALLATION = "test-installation";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStores stores = new InMemoryStores();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final Reconciler reconciler =
      new Reconciler(
          stores,
          stores,
          host -> runtime,
          new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION),
          stores,
          clock,
          RestartBackoff.kubernetesDefaults(),
          Duration.ofSeconds(10),
          new KeepingRunLogs(stores, 1 << 20));
  private final PlacingContainerGroup placing = new PlacingContainerGroup(stores, new Scheduler());
  private final CreatingContainerGroup creating =
      new CreatingContainerGroup(
          stores, placing, new GroupValidator(GroupLimits.aciDefaults()), stores, id -> {}, clock);
  private final StartingContainerGroup starting =
      new StartingContainerGroup(stores, placing, stores, id -> {}, clock);

  ReconcilerScenarioTest() {
    stores.hosts.put("h1", new Resources(2000, 4096));
  }

  private ContainerGroup create(
      String name, RestartPolicy policy, List<String> command, Resources size) {
    var container =
        new ContainerDefinition("main", "berth/busybox:1", command, List.of(), size, size);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name),
                "local",
                Map.of(),
                new GroupSpec(List.of(container), policy, "Linux"),
                "{}"))
        .group();
  }

  private GroupStatus status(ContainerGroup g) {
    return stores.status(g.id()).orElseThrow();
  }

  private ContainerStatus main(ContainerGroup g) {
    return status(g).container("main").orElseThrow();
  }

  @Test
  void aNewGroupIsPlacedStartedAndReportedRunning() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    assertThat(status(group).provisioningState()).isEqualTo(ProvisioningState.PENDING);
    assertThat(stores.placements).containsKey(group.id());

    reconciler.reconcile(group.id());

    GroupStatus s = status(group);
    assertThat(s.provisioningState()).isEqualTo(ProvisioningState.SUCCEEDED);
    assertThat(s.state()).isEqualTo(GroupState.RUNNING);
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main(group).currentState().startTime()).isEqualTo(clock.instant());
    assertThat(main(group).events())
        .extracting(e -> e.name())
        .containsExactly("Created", "Started");
  }

  @Test
  void aPassRepeatedChangesNothingAndCreatesNoDuplicate() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    GroupStatus first = status(group);
    clock.advance(Duration.ofSeconds(5));
    reconciler.reconcile(group.id());
    reconciler.reconcile(group.id());

    assertThat(runtime.createCount()).isEqualTo(1);
    assertThat(status(group)).isEqualTo(first);
  }

  @Test
  void aNeverGroupWhoseContainerExitsZeroSucceedsAndReleasesCapacity() {
    var group = create("job", RestartPolicy.NEVER, List.of("sleep", "5"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(5));
    runtime.exit(main(group).containerId(), 0, false);

    reconciler.reconcile(group.id());

    assertThat(status(group).state()).isEqualTo(GroupState.SUCCEEDED);
    var current = main(group).currentState();
    assertThat(current.state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(current.exitCode()).isZero();
    assertThat(current.detailStatus()).isEqualTo("Completed");
    assertThat(Duration.between(current.startTime(), current.finishTime()))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void crashingContainersBackOffTenSecondsDoublingToFiveMinutes() {
    var group =
        create("crashy", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    List<Long> waits = new ArrayList<>();
    for (int crash = 0; crash < 7; crash++) {
      clock.advance(Duration.ofSeconds(1));
      runtime.exit(main(group).containerId(), 1, false);
      Instant exitedAt = clock.instant();
      Reconciler.Outcome outcome = reconciler.reconcile(group.id());

      ContainerStatus backingOff = main(group);
      assertThat(backingOff.currentState().state()).isEqualTo(ContainerState.Kind.WAITING);
      assertThat(backingOff.currentState().detailStatus()).isEqualTo("CrashLoopBackOff");
      assertThat(backingOff.previousState().exitCode()).isEqualTo(1);
      assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
      assertThat(outcome.wakeAt()).isEqualTo(backingOff.restartAt());
      waits.add(Duration.between(exitedAt, backingOff.restartAt()).toSeconds());

      // Not a moment early...
      clock.advance(Duration.between(exitedAt, backingOff.restartAt()).minusMillis(1));
      reconciler.reconcile(group.id());
      assertThat(main(group).restartCount()).isEqualTo(crash);
      // ...and started once it is due.
      clock.advance(Duration.ofMillis(1));
      reconciler.reconcile(group.id());
      assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
      assertThat(main(group).restartCount()).isEqualTo(crash + 1);
    }
    assertThat(waits).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L);
    assertThat(main(group).events()).extracting(e -> e.name()).contains("BackOff", "Started");
    assertThat(runtime.createCount()).isEqualTo(1);

    // Ten minutes of clean running start the doubling afresh.
    clock.advance(Duration.ofMinutes(10));
    runtime.exit(main(group).containerId(), 1, false);
    Instant exitedAt = clock.instant();
    reconciler.reconcile(group.id());
    assertThat(Duration.between(exitedAt, main(group).restartAt()))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void onFailureRestartsOnlyFailures() {
    var group =
        create(
            "retry", RestartPolicy.ON_FAILURE, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    runtime.exit(main(group).containerId(), 2, false);
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    assertThat(main(group).restartCount()).isEqualTo(1);

    runtime.exit(main(group).containerId(), 0, false);
    reconciler.reconcile(group.id());

    assertThat(status(group).state()).isEqualTo(GroupState.SUCCEEDED);
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(main(group).previousState().exitCode()).isEqualTo(2);
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void anOomKillIsReported() {
    var group =
        create("hog", RestartPolicy.NEVER, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    runtime.exit(main(group).containerId(), 137, true);

    reconciler.reconcile(group.id());

    assertThat(main(group).currentState().detailStatus()).isEqualTo("OOMKilled");
    assertThat(main(group).events()).extracting(e -> e.name()).contains("OOMKilled");
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
  }

  @Test
  void stopKeepsTheContainersReleasesCapacityAndStartGivesAFreshRun() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String firstContainer = main(group).containerId();
    var stopping = new StoppingContainerGroup(stores, reconciler::reconcile);

    assertThat(stopping.stop(group.key()).orElseThrow().stopped()).isTrue();

    assertThat(status(group).state()).isEqualTo(GroupState.STOPPED);
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(main(group).events()).extracting(e -> e.name()).contains("Killing");
    assertThat(stores.placements).doesNotContainKey(group.id());
    assertThat(runtime.inspect(firstContainer)).isPresent();
    // A sweep changes nothing: the group stays stopped (no restart by policy).
    clock.advance(Duration.ofMinutes(1));
    reconciler.reconcile(group.id());
    assertThat(status(group).state()).isEqualTo(GroupState.STOPPED);

    var started = starting.start(group.key()).orElseThrow();
    assertThat(started.started()).isTrue();
    assertThat(started.group().generation()).isEqualTo(2);
    assertThat(stores.placements).containsKey(group.id());
    reconciler.reconcile(group.id());

    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    assertThat(runtime.inspect(firstContainer)).isEmpty();
    assertThat(runtime.listManaged(Map.of(Labels.GROUP_ID, group.id().toString())))
        .singleElement()
        .satisfies(c -> assertThat(c.labels()).containsEntry(Labels.GENERATION, "2"));
    assertThat(starting.start(group.key()).orElseThrow().started()).isFalse();
  }

  @Test
  void restartRestartsEveryContainerInPlace() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String container = main(group).containerId();
    Instant firstStart = main(group).currentState().startTime();
    clock.advance(Duration.ofSeconds(30));
    var restarting = new RestartingContainerGroup(stores, starting, reconciler::reconcile);

    var outcome = restarting.restart(group.key()).orElseThrow();

    assertThat(outcome.done()).isTrue();
    assertThat(outcome.freshRun()).isFalse();
    assertThat(main(group).containerId()).isEqualTo(container);
    assertThat(main(group).restartCount()).isEqualTo(1);
    assertThat(main(group).currentState().startTime()).isAfter(firstStart);
    assertThat(status(group).appliedRestartEpoch()).isEqualTo(1);
    reconciler.reconcile(group.id());
    assertThat(main(group).restartCount()).isEqualTo(1);
  }

  @Test
  void deletingRemovesContainersReservationAndRecords() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var deleting = new DeletingContainerGroup(stores, id -> reconciler.reconcile(id).gone());

    var outcome = deleting.delete(group.key()).orElseThrow();

    assertThat(outcome.gone()).isTrue();
    assertThat(runtime.listManaged(Map.of())).isEmpty();
    assertThat(stores.groups).isEmpty();
    assertThat(stores.placements).isEmpty();
    assertThat(deleting.delete(group.key())).isEmpty();
  }

  @Test
  void aDeleteWhileTheHostIsDownFinishesOnceItAnswers() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    runtime.setReachable(false);
    var deleting = new DeletingContainerGroup(stores, id -> reconciler.reconcile(id).gone());

    assertThat(deleting.delete(group.key()).orElseThrow().gone()).isFalse();
    assertThat(stores.groups).containsKey(group.id());

    runtime.setReachable(true);
    assertThat(reconciler.reconcile(group.id()).gone()).isTrue();
    assertThat(runtime.listManaged(Map.of())).isEmpty();
  }

  @Test
  void aReplacedSpecReplacesTheContainersOfTheOldGeneration() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var replaced =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "7200"), new Resources(1000, 512));
    assertThat(replaced.generation()).isEqualTo(2);

    reconciler.reconcile(group.id());

    List<ManagedContainer> left =
        runtime.listManaged(Map.of(Labels.GROUP_ID, group.id().toString()));
    assertThat(left)
        .singleElement()
        .satisfies(c -> assertThat(c.labels()).containsEntry(Labels.GENERATION, "2"));
    assertThat(stores.placements.get(group.id()).getValue()).isEqualTo(new Resources(1000, 512));
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void aGroupThatFitsNoHostIsRefusedAndNothingIsStored() {
    create("big", RestartPolicy.ALWAYS, List.of("sleep", "1"), new Resources(1500, 1024));
    assertThatThrownBy(
            () ->
                create(
                    "bigger",
                    RestartPolicy.ALWAYS,
                    List.of("sleep", "1"),
                    new Resources(1000, 1024)))
        .isInstanceOf(InsufficientCapacityException.class)
        .hasMessageContaining("requested 1.0 vCPU")
        .hasMessageContaining("0.5 vCPU and 3.0 GB free");
    assertThat(stores.groups).hasSize(1);
  }

  @Test
  void orphanedContainersAreRemovedAfterTheGracePeriod() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION);
    String stray =
        runtime.create(
            new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION)
                .of(
                    new ContainerGroup(
                        UUID.randomUUID(),
                        new GroupKey("sub", "rg", "gone"),
                        "local",
                        Map.of(),
                        group.spec(),
                        1,
                        group.desiredState(),
                        "{}",
                        clock.instant(),
                        0),
                    group.spec().containers().get(0),
                    null));

    assertThat(orphans.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(59));
    assertThat(orphans.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(orphans.collect("h1", runtime)).isEqualTo(1);

    assertThat(runtime.inspect(stray)).isEmpty();
    assertThat(runtime.inspect(main(group).containerId())).isPresent();
  }

  @Test
  void containersOfAnotherInstallationAreNeverCollected() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    String theirs =
        runtime.create(
            new LaunchSpecs(Isolation.hardenedDefaults(), "another-berth")
                .of(
                    new ContainerGroup(
                        UUID.randomUUID(),
                        new GroupKey("sub", "rg", "theirs"),
                        "local",
                        Map.of(),
                        group.spec(),
                        1,
                        group.desiredState(),
                        "{}",
                        clock.instant(),
                        0),
                    group.spec().containers().get(0),
                    null));
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION);

    orphans.collect("h1", runtime);
    clock.advance(Duration.ofHours(1));

    assertThat(orphans.collect("h1", runtime)).isZero();
    assertThat(runtime.inspect(theirs)).isPresent();
  }

  @Test
  void containersOfAGroupThatMovedToAnotherHostAreRemovedAtOnce() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION);

    assertThat(orphans.collect("another-host", runtime)).isEqualTo(1);
  }

  @Test
  void eachRunsOutputIsKeptAndReadableAfterRestartsAndRemoval() {
    var group =
        create("chatty", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = main(group).containerId();
    var logs = new ReadingContainerLogs(stores, stores, host -> runtime);
    runtime.write(id, "first run says hello");
    clock.advance(Duration.ofSeconds(3));
    runtime.exit(id, 1, false);
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(1));
    runtime.write(id, "second run says hello");

    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("second run says hello");
    assertThat(logs.read(group.key(), "main", true).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("first run says hello");

    // Once the container is gone, the kept copy still answers.
    new StoppingContainerGroup(stores, reconciler::reconcile).stop(group.key());
    runtime.remove(id);
    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("second run says hello");
    assertThatThrownBy(() -> logs.read(group.key(), "nope", false))
        .isInstanceOf(ContainerNotFoundException.class);
  }

  private ContainerGroup createWithInits(String name, RestartPolicy policy, String... initScripts) {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
            "main", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size);
    List<ContainerDefinition> inits = new ArrayList<>();
    for (int i = 0; i < initScripts.length; i++) {
      inits.add(
          new ContainerDefinition(
              "init-" + i,
              "berth/busybox:1",
              List.of("sh", "-c", initScripts[i]),
              List.of(),
              size,
              size));
    }
    var spec = new GroupSpec(List.of(main), policy, "Linux", List.of(), null, List.of(), inits);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name), "local", Map.of(), spec, "{}"))
        .group();
  }

  private List<String> containersOnEngine(ContainerGroup group) {
    return runtime.listManaged(Map.of(Labels.GROUP_ID, group.id().toString())).stream()
        .map(c -> c.labels().get(Labels.CONTAINER))
        .sorted()
        .toList();
  }

  @Test
  void initContainersRunInOrderToTheirEndBeforeTheContainers() {
    var group =
        createWithInits(
            "ordered", RestartPolicy.ALWAYS, "echo first; exit 0", "echo second; exit 0");

    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0");
    assertThat(status(group).state()).isEqualTo(GroupState.PENDING);
    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0", "init-1");
    reconciler.reconcile(group.id());

    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0", "init-1", "main");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    assertThat(status(group).initContainers()).allSatisfy(c -> assertThat(c.succeeded()).isTrue());
    // Done once: later passes do not run them again.
    reconciler.reconcile(group.id());
    assertThat(runtime.createCount()).isEqualTo(4);
  }

  @Test
  void aFailedInitContainerFailsANeverGroupAndNothingElseStarts() {
    var group = createWithInits("broken", RestartPolicy.NEVER, "exit 3", "exit 0");
    reconciler.reconcile(group.id());
    reconciler.reconcile(group.id());

    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(status(group).initContainer("init-0").orElseThrow().currentState().exitCode())
        .isEqualTo(3);
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0");
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void aFailedInitContainerIsRetriedWithBackoffUnderOtherPolicies() {
    var group = createWithInits("retry", RestartPolicy.ALWAYS, "exit 3");
    reconciler.reconcile(group.id());
    var init = status(group).initContainer("init-0").orElseThrow();
    assertThat(init.currentState().detailStatus()).isEqualTo("CrashLoopBackOff");
    assertThat(status(group).state()).isEqualTo(GroupState.PENDING);

    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());

    assertThat(status(group).initContainer("init-0").orElseThrow().restartCount()).isEqualTo(1);
    assertThat(containersOnEngine(group)).doesNotContain("main");
  }

  @Test
  void aLineTheEngineStampsAfterItsRunFinishedStaysWithThatRun() {
    var group =
        create("late", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = main(group).containerId();
    var logs = new ReadingContainerLogs(stores, stores, host -> runtime);
    runtime.write(id, "run one");
    runtime.exit(id, 1, false);
    clock.advance(Duration.ofMillis(50));
    runtime.write(id, "run one, read late");
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    runtime.write(id, "run two");

    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("run two");
    assertThat(logs.read(group.key(), "main", true).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("run one", "run one, read late");
  }

  @Test
  void anImageThatHadToBePulledIsReportedWithPullingAndPulled() {
    runtime.pullable("berth/busybox:1");
    var group =
        create("pulled", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));

    reconciler.reconcile(group.id());

    assertThat(main(group).events())
        .extracting(e -> e.name())
        .containsExactly("Pulling", "Pulled", "Created", "Started");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void anImageThatCannotBePulledFailsTheGroupWithPullingAndFailed() {
    runtime.unavailable("berth/busybox:1");
    var group =
        create(
            "unpullable", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));

    reconciler.reconcile(group.id());

    assertThat(main(group).events()).extracting(e -> e.name()).containsExactly("Pulling", "Failed");
    assertThat(status(group).events()).extracting(e -> e.name()).containsExactly("Failed");
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void aMissingGroupIsReportedGone() {
    assertThat(reconciler.reconcile(UUID.randomUUID()).gone()).isTrue();
  }
}
