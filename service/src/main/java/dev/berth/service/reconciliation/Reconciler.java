package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.Transactions;
import dev.berth.service.host.Fleet;
import dev.berth.service.host.HostRuntimes;
import dev.berth.service.host.HostState;
import dev.berth.service.metering.RunMetering;
import dev.berth.service.scheduling.PlacementStore;
import dev.berth.service.workload.KeepingRunLogs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * One reconciler pass for one group: observe the host, derive the status, plan, execute the plan's
 * side effects in order, observe again, save. Every step is idempotent, so a pass cut short by a
 * crash or a failure is simply repeated by the next one.
 */
public final class Reconciler {

  private static final Logger log = Logger.getLogger(Reconciler.class.getName());
  private static final int STALE_RETRIES = 3;

  /** How often a group waiting for a pull is looked at (its progress saved, at most this often). */
  private static final Duration PULL_LOOK_AGAIN = Duration.ofSeconds(1);

  /**
   * What a pass left behind.
   *
   * @param gone the group no longer exists
   * @param wakeAt when the group needs another pass (a restart falls due), or null
   */
  public record Outcome(boolean gone, Instant wakeAt) {}

  private final ContainerGroupStore store;
  private final PlacementStore placements;
  private final HostRuntimes hosts;
  private final LaunchSpecs specs;
  private final Transactions transactions;
  private final Clock clock;
  private final Duration stopGrace;
  private final KeepingRunLogs runLogs;
  private final GroupPlanner planner = new GroupPlanner();
  private final StatusObserver observer;
  private final HostPreparation preparation;
  private final RunMetering metering;
  private final Launching launching;
  private final Fleet fleet;
  private final MovingGroups moving;
  private final ProbeResults probes;
  private final ConcurrentHashMap<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
  private volatile StatusTransitions transitions = StatusTransitions.NONE;

  /**
   * @param git clones gitRepo volumes
   * @param shares the directories of azureFile shares
   * @param probes what this replica's probes found, and where they are told what to check
   * @param pulls this replica's image pulls (pull timeout and policy)
   */
  /** Tells {@code transitions} of every status committed from now on. */
  public void reportTo(StatusTransitions transitions) {
    this.transitions = transitions;
  }

  public Reconciler(
      ContainerGroupStore store,
      PlacementStore placements,
      HostRuntimes hosts,
      LaunchSpecs specs,
      Transactions transactions,
      Clock clock,
      RestartBackoff backoff,
      Duration stopGrace,
      KeepingRunLogs runLogs,
      RunMetering metering,
      Fleet fleet,
      MovingGroups moving,
      GitCheckouts git,
      ShareDirectories shares,
      ProbeResults probes,
      dev.berth.service.images.ImagePulls pulls) {
    this.probes = probes;
    this.store = store;
    this.placements = placements;
    this.hosts = hosts;
    this.specs = specs;
    this.transactions = transactions;
    this.clock = clock;
    this.observer = new StatusObserver(backoff);
    this.stopGrace = stopGrace;
    this.preparation = new HostPreparation(specs, clock, git, shares, pulls);
    this.launching = new Launching(specs, preparation);
    this.runLogs = runLogs;
    this.metering = metering;
    this.fleet = fleet;
    this.moving = moving;
  }

  /** Reconciles one group. Passes for the same group never overlap. */
  public Outcome reconcile(UUID groupId) {
    ReentrantLock lock = locks.computeIfAbsent(groupId, id -> new ReentrantLock());
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return pass(groupId);
        } catch (ContainerGroupStore.StaleStatusException stale) {
          if (attempt == STALE_RETRIES) {
            throw stale;
          }
        }
      }
    } finally {
      lock.unlock();
      if (!lock.hasQueuedThreads()) {
        locks.remove(groupId, lock);
      }
    }
  }

  private Outcome pass(UUID groupId) {
    Optional<ContainerGroup> found = store.findById(groupId);
    Optional<GroupStatus> foundStatus = store.status(groupId);
    if (found.isEmpty() || foundStatus.isEmpty()) {
      probes.track(groupId, null, List.of());
      return new Outcome(true, null);
    }
    ContainerGroup group = found.get();
    GroupStatus before = foundStatus.get();
    String hostId = before.hostId();
    if (hostId == null) {
      probes.track(groupId, null, List.of());
      return moving.unplaced(group, before);
    }
    if (!fleet.owns(hostId)) {
      probes.track(groupId, hostId, List.of());
      // Only the replica that owns the host acts there; it is told to look now.
      fleet.wakeOwner(hostId, groupId);
      return new Outcome(false, null);
    }
    HostState hostState = fleet.stateOf(hostId);
    if (hostState == null || hostState == HostState.LOST) {
      probes.track(groupId, hostId, List.of());
      return moving.onLostHost(group, before);
    }
    if (hostState == HostState.SILENT) {
      // Nothing can be asked of it; the host's watcher wakes its groups when it answers or is lost.
      return new Outcome(false, null);
    }
    ContainerRuntime runtime = hosts.forHost(hostId);

    Instant askedAt = clock.instant();
    List<ContainerObservation> observed =
        nothingCreatedYet(group, before) ? List.of() : observe(runtime, groupId);
    Instant at = clock.instant();
    GroupStatus seen =
        ProbeVerdicts.apply(
            observer.observe(group, before, observed, List.of(), at), probes.take(groupId));
    List<Action> plan =
        ProbeVerdicts.withKills(group, seen, planner.plan(group, before, seen, observed, at));
    GroupStatus result = plan.isEmpty() ? seen : execute(group, runtime, observed, seen, plan);
    if (result == null) {
      probes.track(groupId, hostId, List.of());
      return new Outcome(true, null);
    }
    if (!sameApartFromTime(result, before)) {
      // Before the status says a run ended, its output is kept: a crash in between repeats this.
      runLogs.keepFinishedRuns(before, result, runtime);
      // Billing hears of a run's start and end in the transaction that saves the status showing
      // them: both or neither.
      try {
        transactions.inTransaction(
            () -> {
              fleet.assertOwned(hostId);
              metering.observed(group, result, askedAt, clock.instant());
              store.saveStatus(result, before);
              // Level-triggered: whatever no longer holds capacity gives it up with the status
              // that says so, in one commit, so no crash can leave the reservation behind.
              if (!GroupPlanner.holdsCapacity(result)) {
                placements.release(groupId);
              }
              return null;
            });
      } catch (RuntimeException rolledBack) {
        metering.notReported(groupId);
        throw rolledBack;
      }
      transitions.committed(group, before, result);
    } else {
      metering.observed(group, result, askedAt, clock.instant());
      if (!GroupPlanner.holdsCapacity(result) && placements.isHeld(groupId)) {
        // A reservation left by an older version that released it after the status commit.
        transactions.inTransaction(
            () -> {
              fleet.assertOwned(hostId);
              placements.release(groupId);
              return null;
            });
      }
    }
    probes.track(groupId, hostId, ProbeVerdicts.targets(group, result));
    Instant wake = nextWake(result, at);
    if (preparation.pulling(hostId, group)) {
      // The pull runs on its own thread; a pass a second from now shows its bytes, or launches.
      Instant soon = clock.instant().plus(PULL_LOOK_AGAIN);
      wake = wake == null || soon.isBefore(wake) ? soon : wake;
    }
    return new Outcome(false, wake);
  }

  /**
   * Executes the plan in order; returns the status observed after it, or null once the group is
   * deleted.
   */
  private GroupStatus execute(
      ContainerGroup group,
      ContainerRuntime runtime,
      List<ContainerObservation> observed,
      GroupStatus seen,
      List<Action> plan) {
    UUID groupId = group.id();
    List<LaunchFailure> failures = new ArrayList<>();
    Set<String> removed = new HashSet<>();
    Set<String> touched = new LinkedHashSet<>();
    RaisedEvents raised = new RaisedEvents(clock);
    long appliedRestartEpoch = seen.appliedRestartEpoch();
    boolean volumesFailed = false;
    for (Action action : plan) {
      if (!fleet.owns(seen.hostId())) {
        // The lease lapsed mid-plan (a long pause): stop before another replica takes over.
        throw new Fleet.NotOwner(seen.hostId());
      }
      if (volumesFailed && VolumeFailures.needsVolumes(action)) {
        // A container must never start on a volume without its contents.
        continue;
      }
      if (action instanceof Action.Remove remove) {
        runtime.remove(remove.containerId());
        removed.add(remove.containerId());
      } else if (action instanceof Action.PrepareVolumes) {
        try {
          preparation.prepareVolumes(runtime, group);
        } catch (VolumeSourceFailure failure) {
          volumesFailed = true;
          failures.addAll(VolumeFailures.of(group, failure));
        }
      } else if (action instanceof Action.RemoveVolumes) {
        group
            .spec()
            .volumes()
            .forEach(v -> runtime.removeVolume(LaunchSpecs.volumeName(group, v.name())));
      } else if (action instanceof Action.LaunchSandbox) {
        launching.sandbox(runtime, group, seen, failures, raised).ifPresent(touched::add);
      } else if (action instanceof Action.StartSandbox sandbox) {
        runtime.start(sandbox.containerId());
        touched.add(sandbox.containerId());
      } else if (action instanceof Action.Launch launch) {
        launching
            .launch(runtime, group, launch.definition(), seen, failures, raised)
            .ifPresent(touched::add);
      } else if (action instanceof Action.Start start) {
        Launching.start(runtime, start.containerId(), start.definition(), failures);
        touched.add(start.containerId());
      } else if (action instanceof Action.Stop stop) {
        raised.raise(stop.containerName(), "Killing", "Stopping container " + stop.containerName());
        runtime.stop(stop.containerId(), stopGrace);
        touched.add(stop.containerId());
      } else if (action instanceof Action.KillUnhealthy kill) {
        raised.raise(kill.containerName(), "Killing", kill.message());
        runtime.stop(kill.containerId(), stopGrace);
        touched.add(kill.containerId());
      } else if (action instanceof Action.Restart restart) {
        raised.raise(
            restart.definition().name(),
            "Killing",
            "Stopping container " + restart.definition().name());
        runtime.stop(restart.containerId(), stopGrace);
        Launching.start(runtime, restart.containerId(), restart.definition(), failures);
        touched.add(restart.containerId());
      } else if (action instanceof Action.RestartApplied applied) {
        appliedRestartEpoch = applied.epoch();
      } else if (action instanceof Action.ReleaseCapacity) {
        transactions.inTransaction(
            () -> {
              fleet.assertOwned(seen.hostId());
              placements.release(groupId);
              return null;
            });
      } else if (action instanceof Action.DeleteGroup) {
        transactions.inTransaction(
            () -> {
              fleet.assertOwned(seen.hostId());
              // The run ends when its containers are gone: now, after they were removed.
              metering.deleted(groupId, clock.instant());
              store.delete(groupId);
              return null;
            });
        return null;
      }
    }
    // Only what this pass changed is looked at again; the rest was observed moments ago.
    List<ContainerObservation> after = new ArrayList<>();
    for (ContainerObservation o : observed) {
      if (!removed.contains(o.id()) && !touched.contains(o.id())) {
        after.add(o);
      }
    }
    for (String id : touched) {
      runtime.inspect(id).ifPresent(after::add);
    }
    // What the actions raised (Pulling, Pulled, Killing) came before what is observed after them.
    GroupStatus base =
        new GroupStatus(
            seen.groupId(),
            seen.observedGeneration(),
            seen.provisioningState(),
            seen.state(),
            seen.hostId(),
            seen.ipAddress(),
            raised.onto(seen.containers()),
            seen.events(),
            seen.updatedAt(),
            seen.appliedRestartEpoch(),
            raised.onto(seen.initContainers()));
    GroupStatus result = observer.observe(group, base, after, failures, clock.instant());
    return new GroupStatus(
        result.groupId(),
        result.observedGeneration(),
        result.provisioningState(),
        result.state(),
        result.hostId(),
        result.ipAddress(),
        result.containers(),
        result.events(),
        result.updatedAt(),
        appliedRestartEpoch,
        result.initContainers());
  }

  /**
   * A first generation on which no pass has recorded a container yet has nothing to observe, except
   * what a pass cut short by a crash may have created; the launch then adopts that container by its
   * deterministic name and labels. Skipping the listing takes an engine call off the path from PUT
   * to Running.
   */
  private static boolean nothingCreatedYet(ContainerGroup group, GroupStatus before) {
    return group.generation() == 1
        && before.observedGeneration() == 1
        && before.provisioningState() == ProvisioningState.PENDING
        && before.containers().stream().allMatch(c -> c.containerId() == null);
  }

  private static List<ContainerObservation> observe(ContainerRuntime runtime, UUID groupId) {
    List<ContainerObservation> observed = new ArrayList<>();
    for (ManagedContainer c : runtime.listManaged(Map.of(Labels.GROUP_ID, groupId.toString()))) {
      runtime.inspect(c.id()).ifPresent(observed::add);
    }
    return observed;
  }

  private static Instant nextWake(GroupStatus status, Instant at) {
    return status.containers().stream()
        .map(ContainerStatus::restartAt)
        .filter(Objects::nonNull)
        .map(due -> due.isBefore(at) ? at : due)
        .min(Instant::compareTo)
        .orElse(null);
  }

  private static boolean sameApartFromTime(GroupStatus a, GroupStatus b) {
    return a.observedGeneration() == b.observedGeneration()
        && a.provisioningState() == b.provisioningState()
        && a.state() == b.state()
        && Objects.equals(a.hostId(), b.hostId())
        && Objects.equals(a.ipAddress(), b.ipAddress())
        && a.containers().equals(b.containers())
        && a.initContainers().equals(b.initContainers())
        && a.events().equals(b.events())
        && a.appliedRestartEpoch() == b.appliedRestartEpoch();
  }
}
