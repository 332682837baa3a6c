package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerObservation;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.RestartPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what the engine shows into the group's observed status: per container current and previous
 * state, restart count and events; the group's state and provisioning state. Pure. Times are the
 * engine's; {@code now} only stamps events.
 */
public final class StatusObserver {

  public GroupStatus observe(
      ContainerGroup group,
      GroupStatus previous,
      List<ContainerObservation> observed,
      List<LaunchFailure> failures,
      Instant now) {
    boolean sameGeneration = previous.observedGeneration() == group.generation();
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerDefinition definition : group.spec().containers()) {
      ContainerStatus before =
          (sameGeneration
                  ? previous.container(definition.name())
                  : Optional.<ContainerStatus>empty())
              .orElse(ContainerStatus.initial(definition.name()));
      Optional<ContainerObservation> seen =
          GroupPlanner.currentContainer(group, definition.name(), observed);
      Optional<LaunchFailure> failure =
          failures.stream().filter(f -> f.containerName().equals(definition.name())).findFirst();
      containers.add(container(before, seen, failure, now));
    }
    List<GroupEvent> groupEvents = previous.events();
    boolean permanentFailure =
        failures.stream().anyMatch(LaunchFailure::permanent)
            || (sameGeneration && previous.provisioningState() == ProvisioningState.FAILED);
    for (LaunchFailure f : failures) {
      if (f.permanent()) {
        groupEvents =
            GroupEvent.append(
                groupEvents,
                GroupEvent.warning("Failed", f.containerName() + ": " + f.message(), now));
      }
    }
    GroupState state =
        permanentFailure ? GroupState.FAILED : groupState(group.spec().restartPolicy(), containers);
    if (sameGeneration && previous.state().isTerminal() && previous.state() != GroupState.STOPPED) {
      // Never move backwards: a finished run stays finished (a new run needs a new generation or
      // start).
      state = previous.state();
    }
    ProvisioningState provisioning;
    if (permanentFailure) {
      provisioning = ProvisioningState.FAILED;
    } else if (containers.stream().allMatch(StatusObserver::hasStarted)) {
      provisioning = ProvisioningState.SUCCEEDED;
    } else {
      provisioning = ProvisioningState.CREATING;
    }
    return new GroupStatus(
        group.id(),
        group.generation(),
        provisioning,
        state,
        previous.hostId(),
        containers,
        groupEvents,
        now);
  }

  private static ContainerStatus container(
      ContainerStatus before,
      Optional<ContainerObservation> seen,
      Optional<LaunchFailure> failure,
      Instant now) {
    List<GroupEvent> events = before.events();
    if (seen.isEmpty()) {
      ContainerState current = before.currentState();
      if (failure.isPresent()) {
        LaunchFailure f = failure.get();
        current = ContainerState.waiting(f.permanent() ? f.message() : "Retrying: " + f.message());
        events =
            GroupEvent.append(
                events, GroupEvent.warning(f.permanent() ? "Failed" : "BackOff", f.message(), now));
      }
      return new ContainerStatus(
          before.name(), null, current, before.previousState(), before.restartCount(), events);
    }
    ContainerObservation o = seen.get();
    if (!o.id().equals(before.containerId())) {
      events =
          GroupEvent.append(
              events, GroupEvent.normal("Created", "Created container " + o.name(), now));
    }
    ContainerState previousState = before.previousState();
    int restarts = before.restartCount();
    ContainerState current =
        switch (o.status()) {
          case CREATED, REMOVING -> ContainerState.waiting(o.error());
          case RUNNING -> ContainerState.running(o.startedAt());
          case EXITED ->
              ContainerState.terminated(o.startedAt(), o.finishedAt(), o.exitCode(), detail(o));
        };
    ContainerState last = before.currentState();
    boolean startedAnew =
        current.state() == ContainerState.Kind.RUNNING
                && !Objects.equals(current.startTime(), last.startTime())
            || current.state() == ContainerState.Kind.TERMINATED
                && last.state() != ContainerState.Kind.RUNNING
                && !Objects.equals(current.startTime(), last.startTime());
    if (startedAnew && current.startTime() != null) {
      if (last.state() == ContainerState.Kind.TERMINATED) {
        previousState = last;
        restarts++;
      }
      events =
          GroupEvent.append(
              events, GroupEvent.normal("Started", "Started container " + o.name(), now));
    }
    if (current.state() == ContainerState.Kind.TERMINATED
        && o.oomKilled()
        && !Objects.equals(last.finishTime(), current.finishTime())) {
      events =
          GroupEvent.append(
              events,
              GroupEvent.warning(
                  "OOMKilled", "Container " + o.name() + " exceeded its memory limit", now));
    }
    return new ContainerStatus(before.name(), o.id(), current, previousState, restarts, events);
  }

  private static String detail(ContainerObservation o) {
    if (o.oomKilled()) {
      return "OOMKilled";
    }
    return o.exitCode() != null && o.exitCode() == 0 ? "Completed" : "Error";
  }

  private static boolean hasStarted(ContainerStatus c) {
    return c.currentState().state() != ContainerState.Kind.WAITING || c.restartCount() > 0;
  }

  private static GroupState groupState(RestartPolicy policy, List<ContainerStatus> containers) {
    boolean allStarted = containers.stream().allMatch(StatusObserver::hasStarted);
    if (!allStarted) {
      return GroupState.PENDING;
    }
    boolean anyAlive =
        containers.stream()
            .anyMatch(
                c ->
                    c.currentState().state() == ContainerState.Kind.RUNNING
                        || policy.restarts(
                            c.currentState().exitCode() == null ? 0 : c.currentState().exitCode()));
    if (anyAlive) {
      return GroupState.RUNNING;
    }
    boolean allSucceeded =
        containers.stream().allMatch(c -> Integer.valueOf(0).equals(c.currentState().exitCode()));
    return allSucceeded ? GroupState.SUCCEEDED : GroupState.FAILED;
  }
}
