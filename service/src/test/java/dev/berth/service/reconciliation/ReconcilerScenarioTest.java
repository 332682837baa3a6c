package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.RestartingContainerGroup;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.scheduling.InsufficientCapacityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whole passes of the reconciler on the fake runtime, with a clock advanced by hand. */
class ReconcilerScenarioTest extends ReconcilerScenarios {

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
  void aRunningContainerRemovedBehindBerthsBackIsRecordedAndCreatedAgain() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    Instant started = main(group).currentState().startTime();
    String first = main(group).containerId();
    clock.advance(Duration.ofSeconds(30));
    runtime.remove(first);

    reconciler.reconcile(group.id());

    ContainerStatus main = main(group);
    assertThat(main.containerId()).isNotEqualTo(first).isNotNull();
    assertThat(main.currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main.restartCount()).isEqualTo(1);
    assertThat(main.previousState())
        .isEqualTo(
            new ContainerState(
                ContainerState.Kind.TERMINATED,
                started,
                clock.instant(),
                null,
                StatusObserver.CONTAINER_MISSING));
    assertThat(main.events())
        .extracting(e -> e.name())
        .containsExactly("Created", "Started", "Missing", "Created", "Started");
    assertThat(runtime.createCount()).isEqualTo(2);
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void aFinishedContainerRemovedBehindBerthsBackKeepsItsLastRun() {
    var group = create("job", RestartPolicy.NEVER, List.of("true"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    runtime.exit(main(group).containerId(), 0, false);
    reconciler.reconcile(group.id());
    ContainerStatus finished = main(group);
    runtime.remove(finished.containerId());

    reconciler.reconcile(group.id());

    assertThat(main(group).currentState()).isEqualTo(finished.currentState());
    assertThat(main(group).events()).isEqualTo(finished.events());
    assertThat(runtime.createCount()).isEqualTo(1);
    assertThat(status(group).state()).isEqualTo(GroupState.SUCCEEDED);
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
  void containersOfAGroupThatMovedToAnotherHostAreRemovedAtOnce() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION, moves);

    assertThat(orphans.collect("another-host", runtime)).isEqualTo(1);
  }

  @Test
  void aMissingGroupIsReportedGone() {
    assertThat(reconciler.reconcile(UUID.randomUUID()).gone()).isTrue();
  }
}
