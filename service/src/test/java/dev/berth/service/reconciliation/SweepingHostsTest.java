package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.host.HostState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a sweep passes: after a host's first sweep, only groups whose containers differ from their
 * statuses, that are not at rest, or whose restart is due; never the groups that merely exist.
 */
class SweepingHostsTest extends ReconcilerScenarios {

  private static final Resources SIZE = new Resources(100, 128);
  private final SweepingHosts sweeping =
      new SweepingHosts(stores, this::engine, fleet, INSTALLATION, clock, metering);
  private ContainerGroup web;
  private ContainerGroup api;
  private ContainerGroup job;

  @BeforeEach
  void threeGroupsOnH1() {
    web = running("web", RestartPolicy.ALWAYS, "sleep", "3600");
    api = running("api", RestartPolicy.ALWAYS, "sleep", "3600");
    job = running("job", RestartPolicy.NEVER, "sh", "-c", "exit 0");
    assertThat(status(job).state()).isEqualTo(GroupState.SUCCEEDED);
  }

  private ContainerGroup running(String name, RestartPolicy policy, String... command) {
    ContainerGroup group = create(name, policy, List.of(command), SIZE);
    reconciler.reconcile(group.id());
    reconciler.reconcile(group.id());
    return group;
  }

  @Test
  void aHostIsPassedInFullOnceThenOnlyWhatDiffers() {
    assertThat(sweeping.due(List.of("h1"))).containsExactlyInAnyOrder(web.id(), api.id(), job.id());

    assertThat(sweeping.due(List.of("h1"))).isEmpty();
  }

  @Test
  void aListingThatShowsARunningGroupAsItsStatusSaysConfirmsItsRun() {
    sweeping.due(List.of("h1"));
    confirmations.flush();
    var before = new java.util.HashMap<>(usage.confirmed);
    clock.advance(Duration.ofSeconds(7));
    runtime.exit(main(api).containerId(), 1, false);

    sweeping.due(List.of("h1"));
    confirmations.flush();

    // web's run is confirmed at the listing; api's died (its pass will say so), job's had ended.
    var advanced = new java.util.HashMap<>(usage.confirmed);
    advanced.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
    assertThat(advanced.values()).containsExactly(clock.instant());
  }

  @Test
  void aContainerThatDiedOrWasRemovedBehindBerthsBackGetsItsGroupAPass() {
    sweeping.due(List.of("h1"));
    runtime.exit(main(web).containerId(), 1, false);
    runtime.remove(main(job).containerId());

    assertThat(sweeping.due(List.of("h1"))).containsExactlyInAnyOrder(web.id(), job.id());
  }

  @Test
  void aContainerStartedBehindBerthsBackGetsItsGroupAPass() {
    ContainerGroup once = running("once", RestartPolicy.NEVER, "sleep", "3600");
    runtime.stop(main(once).containerId(), Duration.ZERO);
    reconciler.reconcile(once.id());
    assertThat(status(once).state()).isEqualTo(GroupState.FAILED);
    sweeping.due(List.of("h1"));

    runtime.start(main(once).containerId());

    assertThat(sweeping.due(List.of("h1"))).containsExactly(once.id());
  }

  @Test
  void aGroupThatExpectsNothingIsNotReadButAContainerOfItsStartedByHandGetsItAPass() {
    sweeping.due(List.of("h1"));
    runtime.remove(main(job).containerId());
    reconciler.reconcile(job.id());
    // Finished, and nothing of it left on the host: the sweep does not read it any more.
    assertThat(stores.expectedOn("h1"))
        .extracting(dev.berth.service.containergroup.ContainerGroupStore.Expected::groupId)
        .containsExactlyInAnyOrder(web.id(), api.id());
    assertThat(sweeping.due(List.of("h1"))).isEmpty();

    String byHand =
        runtime.create(
            new LaunchSpecs(dev.berth.runtime.Isolation.hardenedDefaults(), INSTALLATION)
                .of(job, job.spec().containers().get(0), null));
    runtime.start(byHand);

    assertThat(sweeping.due(List.of("h1"))).containsExactly(job.id());
  }

  @Test
  void aRestartWaitingForItsBackoffIsPassedWhenItFallsDue() {
    sweeping.due(List.of("h1"));
    runtime.exit(main(web).containerId(), 1, false);
    reconciler.reconcile(web.id());
    assertThat(main(web).restartAt()).isNotNull();

    assertThat(sweeping.due(List.of("h1"))).isEmpty();
    clock.advance(Duration.between(clock.instant(), main(web).restartAt()));
    assertThat(sweeping.due(List.of("h1"))).containsExactly(web.id());
  }

  @Test
  void aGroupNotAtRestIsPassedEverySweep() {
    sweeping.due(List.of("h1"));
    new dev.berth.service.containergroup.StoppingContainerGroup(stores, id -> {}).stop(api.key());

    assertThat(sweeping.due(List.of("h1"))).containsExactly(api.id());
    assertThat(sweeping.due(List.of("h1"))).containsExactly(api.id());
    reconciler.reconcile(api.id());
    assertThat(sweeping.due(List.of("h1"))).isEmpty();
  }

  @Test
  void aLostHostsGroupsArePassedEverySweepAndASilentHostsNever() {
    sweeping.due(List.of("h1"));
    fleet.states.put("h1", HostState.SILENT);
    runtime.exit(main(web).containerId(), 1, false);
    assertThat(sweeping.due(List.of("h1"))).isEmpty();

    fleet.states.put("h1", HostState.LOST);
    assertThat(sweeping.due(List.of("h1"))).containsExactlyInAnyOrder(web.id(), api.id(), job.id());
    assertThat(sweeping.due(List.of("h1"))).containsExactlyInAnyOrder(web.id(), api.id(), job.id());
  }

  @Test
  void aHostTakenAgainIsPassedInFullAgain() {
    sweeping.due(List.of("h1"));
    sweeping.due(List.of());

    assertThat(sweeping.due(List.of("h1"))).containsExactlyInAnyOrder(web.id(), api.id(), job.id());
  }

  @Test
  void groupsWaitingForRoomArePassedEverySweep() {
    // h1 is lost and there is no other host: web waits for room, placed nowhere.
    runtime.setReachable(false);
    fleet.states.put("h1", HostState.LOST);
    reconciler.reconcile(web.id());
    assertThat(status(web).hostId()).isNull();

    assertThat(sweeping.due(List.of())).containsExactly(web.id());
    assertThat(sweeping.due(List.of())).containsExactly(web.id());
  }
}
