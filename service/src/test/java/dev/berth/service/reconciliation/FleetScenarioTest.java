package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.host.Fleet;
import dev.berth.service.host.HostState;
import dev.berth.service.scheduling.InsufficientCapacityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole passes over a fleet of several hosts in every state, on fake engines and a hand-advanced
 * clock: what happens to groups when their host is lost, silent, cordoned or owned by another
 * replica.
 */
class FleetScenarioTest extends ReconcilerScenarios {

  private static final Resources SIZE = new Resources(500, 512);

  @BeforeEach
  void twoMoreHosts() {
    stores.hosts.put("h2", new Resources(2000, 4096));
    stores.hosts.put("h3", new Resources(2000, 4096));
  }

  /** A group created and running on h1 (the other hosts cordoned while it is placed). */
  private ContainerGroup runningOnH1(String name, RestartPolicy policy, String... command) {
    fleet.states.put("h2", HostState.CORDONED);
    fleet.states.put("h3", HostState.CORDONED);
    ContainerGroup group = create(name, policy, List.of(command), SIZE);
    fleet.states.remove("h2");
    fleet.states.remove("h3");
    reconciler.reconcile(group.id());
    assertThat(status(group).hostId()).isEqualTo("h1");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    return group;
  }

  private void lose(String host) {
    engine(host).setReachable(false);
    fleet.states.put(host, HostState.LOST);
  }

  @Test
  void anAlwaysGroupOnALostHostRunsAgainElsewhereAsANewGeneration() {
    ContainerGroup group = runningOnH1("web", RestartPolicy.ALWAYS, "sleep", "3600");
    fleet.states.put("h2", HostState.CORDONED);
    clock.advance(Duration.ofSeconds(30));
    lose("h1");

    reconciler.reconcile(group.id());

    GroupStatus moved = status(group);
    assertThat(moved.observedGeneration()).isEqualTo(2);
    assertThat(moved.hostId()).isEqualTo("h3");
    assertThat(moved.provisioningState()).isEqualTo(ProvisioningState.REPAIRING);
    assertThat(moved.events())
        .extracting(GroupEvent::name, e -> e.message().contains("h1"))
        .contains(org.assertj.core.groups.Tuple.tuple("HostLost", true));
    assertThat(stores.placements.get(group.id()).getKey()).isEqualTo("h3");
    assertThat(fleet.wakeups).contains("h3 " + group.id());
    // Billing heard of the new generation: the old run ends at the move.
    assertThat(usage.observations).anySatisfy(o -> assertThat(o.generation()).isEqualTo(2));

    reconciler.reconcile(group.id());

    GroupStatus running = status(group);
    assertThat(running.state()).isEqualTo(GroupState.RUNNING);
    assertThat(running.provisioningState()).isEqualTo(ProvisioningState.SUCCEEDED);
    assertThat(engine("h3").listManaged(Map.of(Labels.GROUP_ID, group.id().toString())))
        .singleElement()
        .satisfies(c -> assertThat(c.labels().get(Labels.GENERATION)).isEqualTo("2"));
  }

  @Test
  void anOnFailureGroupStillRunningMovesAndOneThatEndedStaysEnded() {
    ContainerGroup running = runningOnH1("running", RestartPolicy.ON_FAILURE, "sleep", "3600");
    ContainerGroup done = runningOnH1("done", RestartPolicy.ON_FAILURE, "true");
    clock.advance(Duration.ofSeconds(1));
    runtime.exit(main(done).containerId(), 0, false);
    reconciler.reconcile(done.id());
    assertThat(status(done).state()).isEqualTo(GroupState.SUCCEEDED);
    lose("h1");

    reconciler.reconcile(running.id());
    reconciler.reconcile(done.id());

    assertThat(status(running).observedGeneration()).isEqualTo(2);
    assertThat(status(running).hostId()).isIn("h2", "h3");
    assertThat(status(done).observedGeneration()).isEqualTo(1);
    assertThat(status(done).state()).isEqualTo(GroupState.SUCCEEDED);
    assertThat(stores.placements).doesNotContainKey(done.id());
  }

  @Test
  void aNeverGroupStillRunningOnALostHostFailsWithHostLostAndGivesItsRoomBack() {
    ContainerGroup job = runningOnH1("job", RestartPolicy.NEVER, "sleep", "3600");
    lose("h1");

    reconciler.reconcile(job.id());

    GroupStatus failed = status(job);
    assertThat(failed.observedGeneration()).isEqualTo(1);
    assertThat(failed.state()).isEqualTo(GroupState.FAILED);
    assertThat(failed.events()).extracting(GroupEvent::name).contains("HostLost");
    assertThat(main(job).currentState().state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(main(job).currentState().detailStatus()).isEqualTo("HostLost");
    assertThat(stores.placements).doesNotContainKey(job.id());
  }

  @Test
  void whenTheLostHostReturnsTheContainerOfTheFailedNeverGroupIsStopped() {
    ContainerGroup job = runningOnH1("job", RestartPolicy.NEVER, "sleep", "3600");
    lose("h1");
    reconciler.reconcile(job.id());
    assertThat(status(job).state()).isEqualTo(GroupState.FAILED);
    String container = main(job).containerId();
    // Behind the cut the job went on running; the host answers again.
    engine("h1").setReachable(true);
    assertThat(runtime.inspect(container).orElseThrow().status())
        .isEqualTo(dev.berth.runtime.ContainerStatus.RUNNING);
    fleet.states.put("h1", HostState.READY);

    reconciler.reconcile(job.id());

    assertThat(runtime.inspect(container).orElseThrow().status())
        .isEqualTo(dev.berth.runtime.ContainerStatus.EXITED);
    assertThat(status(job).state()).as("it stays failed").isEqualTo(GroupState.FAILED);
    assertThat(stores.placements).doesNotContainKey(job.id());
  }

  @Test
  void withNoRoomAnywhereTheGroupWaitsInRepairingAndIsPlacedWhenRoomAppears() {
    ContainerGroup group = runningOnH1("web", RestartPolicy.ALWAYS, "sleep", "3600");
    fleet.states.put("h2", HostState.CORDONED);
    fleet.states.put("h3", HostState.SILENT);
    lose("h1");

    reconciler.reconcile(group.id());

    GroupStatus waiting = status(group);
    assertThat(waiting.hostId()).isNull();
    assertThat(waiting.provisioningState()).isEqualTo(ProvisioningState.REPAIRING);
    assertThat(waiting.events())
        .extracting(GroupEvent::name)
        .containsExactly("HostLost", "FailedScheduling");
    assertThat(stores.placements).doesNotContainKey(group.id());
    // Passes while nothing changed write nothing new.
    reconciler.reconcile(group.id());
    assertThat(status(group).events()).hasSize(2);

    fleet.states.put("h2", HostState.READY);
    reconciler.reconcile(group.id());
    assertThat(status(group).hostId()).isEqualTo("h2");
    reconciler.reconcile(group.id());
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    assertThat(status(group).provisioningState()).isEqualTo(ProvisioningState.SUCCEEDED);
  }

  @Test
  void deleteAndStopOfAGroupOnALostHostCompleteAtOnce() {
    ContainerGroup deleted = runningOnH1("deleted", RestartPolicy.ALWAYS, "sleep", "3600");
    ContainerGroup stopped = runningOnH1("stopped", RestartPolicy.ALWAYS, "sleep", "3600");
    lose("h1");

    var deleting = new DeletingContainerGroup(stores, id -> reconciler.reconcile(id).gone());
    assertThat(deleting.delete(deleted.key()).orElseThrow().gone()).isTrue();
    assertThat(stores.findById(deleted.id())).isEmpty();

    var stopping = new StoppingContainerGroup(stores, reconciler::reconcile);
    assertThat(stopping.stop(stopped.key()).orElseThrow().stopped()).isTrue();
    assertThat(status(stopped).state()).isEqualTo(GroupState.STOPPED);
    assertThat(stores.placements).doesNotContainKeys(deleted.id(), stopped.id());
  }

  @Test
  void nothingIsAskedOfASilentHostAndItsGroupsStayAsTheyAre() {
    ContainerGroup group = runningOnH1("web", RestartPolicy.ALWAYS, "sleep", "3600");
    GroupStatus before = status(group);
    engine("h1").setReachable(false);
    fleet.states.put("h1", HostState.SILENT);

    reconciler.reconcile(group.id());

    assertThat(status(group)).isEqualTo(before);
    assertThat(stores.placements.get(group.id()).getKey()).isEqualTo("h1");
  }

  @ParameterizedTest
  @EnumSource(
      value = HostState.class,
      names = {"CORDONED", "DRAINING"})
  void groupsOnACordonedOrDrainingHostKeepRunningAndNewOnesGoElsewhere(HostState state) {
    ContainerGroup group = runningOnH1("web", RestartPolicy.ALWAYS, "sleep", "3600");
    fleet.states.put("h1", state);

    reconciler.reconcile(group.id());
    ContainerGroup next = create("next", RestartPolicy.ALWAYS, List.of("sleep", "3600"), SIZE);

    assertThat(status(group).hostId()).isEqualTo("h1");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    assertThat(status(next).hostId()).isIn("h2", "h3");
  }

  @ParameterizedTest
  @EnumSource(
      value = HostState.class,
      names = {"CORDONED", "DRAINING", "SILENT", "LOST"})
  void noHostButAReadyOneTakesANewGroup(HostState state) {
    for (String host : List.of("h1", "h2", "h3")) {
      fleet.states.put(host, state);
    }
    assertThatThrownBy(() -> create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), SIZE))
        .isInstanceOf(InsufficientCapacityException.class)
        .hasMessageContaining("no host is schedulable");
  }

  @Test
  void aReplicaThatDoesNotOwnTheHostDoesNothingThereAndWakesTheOwner() {
    fleet.notOwned.add("h1");
    fleet.states.put("h2", HostState.CORDONED);
    fleet.states.put("h3", HostState.CORDONED);
    ContainerGroup group = create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), SIZE);

    reconciler.reconcile(group.id());

    assertThat(runtime.createCount()).isZero();
    assertThat(status(group).provisioningState()).isEqualTo(ProvisioningState.PENDING);
    assertThat(fleet.wakeups).containsExactly("h1 " + group.id());
  }

  @Test
  void aPassWhoseLeaseWasTakenMeanwhileCommitsNothing() {
    ContainerGroup group = runningOnH1("job", RestartPolicy.NEVER, "sleep", "5");
    clock.advance(Duration.ofSeconds(5));
    runtime.exit(main(group).containerId(), 0, false);
    GroupStatus before = status(group);
    fleet.fenced.add("h1");

    assertThatThrownBy(() -> reconciler.reconcile(group.id())).isInstanceOf(Fleet.NotOwner.class);

    assertThat(status(group)).isEqualTo(before);
    assertThat(stores.placements).containsKey(group.id());
  }

  @Test
  void aReservationLeftBehindByACrashIsGivenUpOnTheNextPass() {
    ContainerGroup job = runningOnH1("job", RestartPolicy.NEVER, "sleep", "5");
    clock.advance(Duration.ofSeconds(5));
    runtime.exit(main(job).containerId(), 0, false);
    reconciler.reconcile(job.id());
    assertThat(status(job).state()).isEqualTo(GroupState.SUCCEEDED);
    assertThat(stores.placements).doesNotContainKey(job.id());
    // What an older Berth killed between its two commits left behind: a finished status with
    // its reservation still held.
    stores.placements.put(job.id(), Map.entry("h1", SIZE));

    reconciler.reconcile(job.id());

    assertThat(stores.placements).doesNotContainKey(job.id());
  }
}
