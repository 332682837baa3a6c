package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do: pure functions from desired state, observed status and what the engine shows
 * to a list of {@link Action}s. Level-triggered, so running it twice on the same input asks for the
 * same (idempotent) actions.
 */
public final class GroupPlanner {

  /**
   * @param before the status at the start of the pass
   * @param now the status computed from this pass's observations
   * @param observed every container on the host labelled with this group
   * @param at the time of the pass (restarts are due when their backoff has passed)
   */
  public List<Action> plan(
      ContainerGroup group,
      GroupStatus before,
      GroupStatus now,
      List<ContainerObservation> observed,
      Instant at) {
    List<Action> actions = new ArrayList<>();
    if (group.desiredState() == DesiredState.DELETED) {
      observed.forEach(o -> actions.add(new Action.Remove(o.id(), o.name(), "group deleted")));
      if (!group.spec().volumes().isEmpty()) {
        actions.add(new Action.RemoveVolumes());
      }
      actions.add(new Action.ReleaseCapacity());
      actions.add(new Action.DeleteGroup());
      return actions;
    }
    for (ContainerObservation o : observed) {
      if (!isCurrent(group, o)) {
        actions.add(
            new Action.Remove(o.id(), o.name(), "not part of generation " + group.generation()));
      }
    }
    if (group.desiredState() == DesiredState.STOPPED || !holdsCapacity(now)) {
      // A group that holds no capacity runs nothing: stopped, or ended while a container still
      // ran (a Never group failed with its lost host, whose container went on behind the cut).
      stopRunning(group, observed, actions);
      return actions;
    }
    if (group.spec().needsSandbox()) {
      Optional<ContainerObservation> sandbox =
          currentContainer(group, LaunchSpecs.SANDBOX, observed);
      if (sandbox.isEmpty()) {
        actions.add(new Action.LaunchSandbox());
      } else if (sandbox.get().status() != ContainerStatus.RUNNING) {
        actions.add(new Action.StartSandbox(sandbox.get().id()));
      }
    }
    if (group.restartEpoch() > now.appliedRestartEpoch()) {
      for (ContainerDefinition definition : group.spec().containers()) {
        currentContainer(group, definition.name(), observed)
            .ifPresentOrElse(
                o -> actions.add(new Action.Restart(o.id(), definition)),
                () -> actions.add(new Action.Launch(definition)));
      }
      actions.add(new Action.RestartApplied(group.restartEpoch()));
      return actions;
    }
    if (!now.initDone()) {
      planInitContainers(group, now, observed, at, actions);
      return actions;
    }
    int firstLaunch = -1;
    for (ContainerDefinition definition : group.spec().containers()) {
      Optional<ContainerObservation> current = currentContainer(group, definition.name(), observed);
      if (current.isEmpty()) {
        if (launchBackingOff(now, definition.name(), at)) {
          continue;
        }
        if (firstLaunch < 0) {
          firstLaunch = actions.size();
        }
        actions.add(new Action.Launch(definition));
        continue;
      }
      ContainerObservation o = current.get();
      if (o.status() == ContainerStatus.CREATED) {
        actions.add(new Action.Start(o.id(), definition));
      } else if (o.status() == ContainerStatus.EXITED && restartDue(now, definition.name(), at)) {
        actions.add(new Action.Start(o.id(), definition));
      }
    }
    if (firstLaunch >= 0 && !group.spec().volumes().isEmpty()) {
      // Volumes first: a container must find its volumes (and secret files) when it is created.
      actions.add(firstLaunch, new Action.PrepareVolumes());
    }
    return actions;
  }

  /**
   * Stops every running container of the generation; the sandbox last, so the others keep their
   * network until they have stopped.
   */
  private static void stopRunning(
      ContainerGroup group, List<ContainerObservation> observed, List<Action> actions) {
    observed.stream()
        .filter(o -> isCurrent(group, o))
        .filter(o -> o.status() == ContainerStatus.RUNNING)
        .sorted(java.util.Comparator.comparing(o -> isSandbox(o)))
        .forEach(o -> actions.add(new Action.Stop(o.id(), o.labels().get(Labels.CONTAINER))));
  }

  /**
   * Init containers run one at a time, in order, each to a successful end: the first that has not
   * succeeded is launched, started, restarted when its backoff is due, or waited for.
   */
  private static void planInitContainers(
      ContainerGroup group,
      GroupStatus now,
      List<ContainerObservation> observed,
      Instant at,
      List<Action> actions) {
    for (ContainerDefinition init : group.spec().initContainers()) {
      if (now.initContainer(init.name()).map(c -> c.succeeded()).orElse(false)) {
        continue;
      }
      Optional<ContainerObservation> current = currentContainer(group, init.name(), observed);
      if (current.isEmpty()) {
        if (now.initContainer(init.name())
            .map(c -> c.containerId() == null && c.restartAt() != null && c.restartAt().isAfter(at))
            .orElse(false)) {
          return;
        }
        if (!group.spec().volumes().isEmpty()) {
          actions.add(new Action.PrepareVolumes());
        }
        actions.add(new Action.Launch(init));
      } else if (current.get().status() == ContainerStatus.CREATED) {
        actions.add(new Action.Start(current.get().id(), init));
      } else if (current.get().status() == ContainerStatus.EXITED
          && now.initContainer(init.name())
              .map(c -> c.restartAt() != null && !c.restartAt().isAfter(at))
              .orElse(false)) {
        actions.add(new Action.Start(current.get().id(), init));
      }
      return;
    }
  }

  /** Whether a group in this status needs its reserved capacity: it has not finished or stopped. */
  static boolean holdsCapacity(GroupStatus status) {
    return status.holdsCapacity();
  }

  /** A container whose launch failed (its pull) and waits out its backoff before the next try. */
  private static boolean launchBackingOff(GroupStatus now, String containerName, Instant at) {
    return now.container(containerName)
        .map(c -> c.containerId() == null && c.restartAt() != null && c.restartAt().isAfter(at))
        .orElse(false);
  }

  private static boolean restartDue(GroupStatus now, String containerName, Instant at) {
    return now.container(containerName)
        .map(c -> c.restartAt() != null && !c.restartAt().isAfter(at))
        .orElse(false);
  }

  static boolean isCurrent(ContainerGroup group, ContainerObservation o) {
    String generation = o.labels().get(Labels.GENERATION);
    String name = o.labels().get(Labels.CONTAINER);
    boolean ofTheSpec =
        group.spec().containers().stream().anyMatch(c -> c.name().equals(name))
            || group.spec().initContainers().stream().anyMatch(c -> c.name().equals(name))
            || (LaunchSpecs.SANDBOX.equals(name) && group.spec().needsSandbox());
    return Long.toString(group.generation()).equals(generation)
        && ofTheSpec
        && ContainerNames.of(group.id(), name).equals(o.name());
  }

  private static boolean isSandbox(ContainerObservation o) {
    return LaunchSpecs.SANDBOX.equals(o.labels().get(Labels.CONTAINER));
  }

  static Optional<ContainerObservation> currentContainer(
      ContainerGroup group, String containerName, List<ContainerObservation> observed) {
    return observed.stream()
        .filter(o -> containerName.equals(o.labels().get(Labels.CONTAINER)))
        .filter(o -> isCurrent(group, o))
        .findFirst();
  }
}
