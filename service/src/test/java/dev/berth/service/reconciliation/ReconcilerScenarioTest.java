package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
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
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.scheduling.InsufficientCapacityException;
import dev.berth.service.scheduling.PlacingContainerGroup;
import dev.berth.service.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Whole passes of the reconciler on the fake runtime, with a clock advanced by hand. */
class ReconcilerScenarioTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStores stores = new InMemoryStores();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final Reconciler reconciler =
      new Reconciler(
          stores,
          stores,
          host -> runtime,
          new LaunchSpecs(Isolation.hardenedDefaults()),
          stores,
          clock);
  private final CreatingContainerGroup creating =
      new CreatingContainerGroup(
          stores,
          new PlacingContainerGroup(stores, new Scheduler()),
          new GroupValidator(GroupLimits.aciDefaults()),
          stores,
          id -> {},
          clock);

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
    var main = s.container("main").orElseThrow();
    assertThat(main.currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main.currentState().startTime()).isEqualTo(clock.instant());
    assertThat(main.events()).extracting(e -> e.name()).containsExactly("Created", "Started");
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
    String id = status(group).container("main").orElseThrow().containerId();
    clock.advance(Duration.ofSeconds(5));
    runtime.exit(id, 0, false);

    reconciler.reconcile(group.id());

    GroupStatus s = status(group);
    assertThat(s.state()).isEqualTo(GroupState.SUCCEEDED);
    var current = s.container("main").orElseThrow().currentState();
    assertThat(current.state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(current.exitCode()).isZero();
    assertThat(current.detailStatus()).isEqualTo("Completed");
    assertThat(Duration.between(current.startTime(), current.finishTime()))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void anAlwaysGroupRestartsAnExitedContainerAndKeepsThePreviousState() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = status(group).container("main").orElseThrow().containerId();
    clock.advance(Duration.ofSeconds(7));
    runtime.exit(id, 3, false);

    reconciler.reconcile(group.id());

    var main = status(group).container("main").orElseThrow();
    assertThat(main.restartCount()).isEqualTo(1);
    assertThat(main.currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main.previousState().exitCode()).isEqualTo(3);
    assertThat(main.previousState().detailStatus()).isEqualTo("Error");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void anOomKillIsReported() {
    var group =
        create("hog", RestartPolicy.NEVER, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    runtime.exit(status(group).container("main").orElseThrow().containerId(), 137, true);

    reconciler.reconcile(group.id());

    var main = status(group).container("main").orElseThrow();
    assertThat(main.currentState().detailStatus()).isEqualTo("OOMKilled");
    assertThat(main.events()).extracting(e -> e.name()).contains("OOMKilled");
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
  }

  @Test
  void deletingRemovesContainersReservationAndRecords() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var deleting = new DeletingContainerGroup(stores, reconciler::reconcile);

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
    var deleting = new DeletingContainerGroup(stores, reconciler::reconcile);

    assertThat(deleting.delete(group.key()).orElseThrow().gone()).isFalse();
    assertThat(stores.groups).containsKey(group.id());

    runtime.setReachable(true);
    assertThat(reconciler.reconcile(group.id())).isTrue();
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
    Assertions.assertThatThrownBy(
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
  void aMissingGroupIsReportedGone() {
    assertThat(reconciler.reconcile(UUID.randomUUID())).isTrue();
  }
}
