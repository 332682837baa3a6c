package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerObservation;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what the engine shows into the group's observed status: per container current and previous
 * state, restart count, backoff and events; the group's state and provisioning state. Pure. Times
 * are the engine's; {@code now} only stamps events.
 *
 * <p>A container that exited and will be restarted is shown as ACI and Kubernetes show it: current
 * state Waiting with detailStatus CrashLoopBackOff, the run that ended as previousState, and the
 * time of the next start fixed from the engine's finish time plus the backoff.
 */
public final class StatusObserver {

  /** The detailStatus of a run that ended because its liveness probe failed. */
  public static final String LIVENESS_FAILED = "LivenessProbeFailed";

  /** The detailStatus of a run whose container was removed from its host outside Berth. */
  public static final String CONTAINER_MISSING = "ContainerMissing";

  private final RestartBackoff backoff;

  public StatusObserver(RestartBackoff backoff) {
    this.backoff = backoff;
  }

  public GroupStatus observe(
      ContainerGroup group,
      GroupStatus previous,
      List<ContainerObservation> observed,
      List<LaunchFailure> failures,
      Instant now) {
    boolean sameGeneration = previous.observedGeneration() == group.generation();
    boolean mayRestart = group.desiredState() == DesiredState.RUNNING;
    List<ContainerStatus> containers =
        statuses(
            group,
            group.spec().containers(),
            group.spec().restartPolicy(),
            sameGeneration ? previous.containers() : List.of(),
            observed,
            failures,
            mayRestart,
            now);
    List<ContainerStatus> inits =
        statuses(
            group,
            group.spec().initContainers(),
            group.spec().initRestartPolicy(),
            sameGeneration ? previous.initContainers() : List.of(),
            observed,
            failures,
            mayRestart,
            now);
    List<GroupEvent> groupEvents = sameGeneration ? previous.events() : List.of();
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
    boolean initFailed =
        inits.stream()
            .anyMatch(
                c ->
                    c.currentState().state() == ContainerState.Kind.TERMINATED
                        && !Integer.valueOf(0).equals(c.currentState().exitCode()));
    boolean initDone = inits.stream().allMatch(ContainerStatus::succeeded);
    GroupState state =
        !initDone && group.desiredState() == DesiredState.RUNNING
            ? (permanentFailure || initFailed ? GroupState.FAILED : GroupState.PENDING)
            : groupState(group, containers, permanentFailure);
    if (sameGeneration
        && isFinished(previous.state())
        && group.desiredState() == DesiredState.RUNNING) {
      // Never move backwards: a finished run stays finished; a new run is a new generation.
      state = previous.state();
    }
    ProvisioningState provisioning;
    if (permanentFailure) {
      provisioning = ProvisioningState.FAILED;
    } else if (containers.stream().allMatch(ContainerStatus::hasStarted)) {
      provisioning = ProvisioningState.SUCCEEDED;
    } else if (sameGeneration && previous.provisioningState() == ProvisioningState.SUCCEEDED) {
      provisioning = ProvisioningState.SUCCEEDED;
    } else if (sameGeneration && previous.provisioningState() == ProvisioningState.REPAIRING) {
      // Placed again after its host was lost: repairing until the new copy has started.
      provisioning = ProvisioningState.REPAIRING;
    } else {
      provisioning = ProvisioningState.CREATING;
    }
    return new GroupStatus(
        group.id(),
        group.generation(),
        provisioning,
        state,
        previous.hostId(),
        previous.ipAddress(),
        containers,
        groupEvents,
        now,
        previous.appliedRestartEpoch(),
        inits);
  }

  private List<ContainerStatus> statuses(
      ContainerGroup group,
      List<ContainerDefinition> definitions,
      RestartPolicy policy,
      List<ContainerStatus> previous,
      List<ContainerObservation> observed,
      List<LaunchFailure> failures,
      boolean mayRestart,
      Instant now) {
    List<ContainerStatus> statuses = new ArrayList<>();
    for (ContainerDefinition definition : definitions) {
      ContainerStatus before =
          previous.stream()
              .filter(c -> c.name().equals(definition.name()))
              .findFirst()
              .orElse(ContainerStatus.initial(definition.name()));
      Optional<ContainerObservation> seen =
          GroupPlanner.currentContainer(group, definition.name(), observed);
      Optional<LaunchFailure> failure =
          failures.stream().filter(f -> f.containerName().equals(definition.name())).findFirst();
      statuses.add(
          seen.isPresent()
              ? observed(before, seen.get(), policy, mayRestart, now)
              : notCreated(before, failure, now));
    }
    return statuses;
  }

  private static boolean isFinished(GroupState state) {
    return state == GroupState.SUCCEEDED || state == GroupState.FAILED;
  }

  /**
   * A launch that failed in a way a restart policy retries (a pull): tried again after the restart
   * backoff, as a crashed container is started again (Kubernetes' ImagePullBackOff).
   */
  private ContainerStatus backingOff(ContainerStatus before, LaunchFailure f, Instant now) {
    int streak = before.backoffStreak();
    Instant retryAt = now.plus(backoff.delay(streak));
    List<GroupEvent> events =
        GroupEvent.append(before.events(), GroupEvent.warning("Failed", f.message(), now));
    events =
        GroupEvent.append(
            events,
            GroupEvent.warning(
                "BackOff",
                "Back-off pulling the image of container "
                    + before.name()
                    + "; next attempt at "
                    + retryAt,
                now));
    return new ContainerStatus(
        before.name(),
        null,
        ContainerState.waiting(f.message()),
        before.previousState(),
        before.restartCount(),
        events,
        streak + 1,
        retryAt);
  }

  private ContainerStatus notCreated(
      ContainerStatus before, Optional<LaunchFailure> failure, Instant now) {
    if (failure.isEmpty() && vanished(before)) {
      return missing(before, now);
    }
    if (failure.isEmpty()) {
      return new ContainerStatus(
          before.name(),
          null,
          before.currentState(),
          before.previousState(),
          before.restartCount(),
          before.events(),
          before.backoffStreak(),
          before.restartAt(),
          before.ready(),
          before.livenessFailedRun());
    }
    LaunchFailure f = failure.get();
    if (f.backsOff()) {
      return backingOff(before, f, now);
    }
    ContainerState waiting =
        ContainerState.waiting(f.permanent() ? f.message() : "Retrying: " + f.message());
    List<GroupEvent> events =
        GroupEvent.append(
            before.events(),
            GroupEvent.warning(f.permanent() ? "Failed" : "BackOff", f.message(), now));
    return new ContainerStatus(
        before.name(),
        null,
        waiting,
        before.previousState(),
        before.restartCount(),
        events,
        before.backoffStreak(),
        before.restartAt());
  }

  /** A container this group ran that is no longer on its host, though Berth did not remove it. */
  private static boolean vanished(ContainerStatus before) {
    return before.containerId() != null
        && before.currentState().state() == ContainerState.Kind.RUNNING;
  }

  /**
   * A running container removed behind Berth's back: its run is recorded as ended now (the engine
   * kept no finish time or exit code), as Kubernetes records ContainerStatusUnknown, and it waits
   * to be created again. The next run counts as a restart.
   */
  private static ContainerStatus missing(ContainerStatus before, Instant now) {
    ContainerState ended =
        new ContainerState(
            ContainerState.Kind.TERMINATED,
            before.currentState().startTime(),
            now,
            null,
            CONTAINER_MISSING);
    List<GroupEvent> events =
        GroupEvent.append(
            before.events(),
            GroupEvent.warning(
                "Missing",
                "Container "
                    + before.name()
                    + " ("
                    + before.containerId()
                    + ") is no longer on its host; it was removed outside Berth and is created"
                    + " again",
                now));
    return new ContainerStatus(
        before.name(),
        null,
        ContainerState.waiting(CONTAINER_MISSING),
        ended,
        before.restartCount(),
        events,
        before.backoffStreak(),
        null);
  }

  private ContainerStatus observed(
      ContainerStatus before,
      ContainerObservation o,
      RestartPolicy policy,
      boolean mayRestart,
      Instant now) {
    List<GroupEvent> events = before.events();
    if (!o.id().equals(before.containerId())) {
      events =
          GroupEvent.append(
              events, GroupEvent.normal("Created", "Created container " + o.name(), now));
    }
    ContainerState lastRun = before.lastRun();
    ContainerState previous = before.previousState();
    int restarts = before.restartCount();
    int streak = before.backoffStreak();
    Instant restartAt = before.restartAt();
    Boolean ready = before.ready();
    Instant livenessFailedRun = before.livenessFailedRun();

    boolean newRun =
        o.startedAt() != null && (lastRun == null || !o.startedAt().equals(lastRun.startTime()));
    if (newRun) {
      if (lastRun != null) {
        restarts++;
        if (lastRun.state() == ContainerState.Kind.TERMINATED) {
          previous = lastRun;
        }
      }
      restartAt = null;
      // A new run has proved nothing to its probes yet.
      ready = null;
      livenessFailedRun = null;
      events =
          GroupEvent.append(
              events, GroupEvent.normal("Started", "Started container " + o.name(), now));
    }
    ContainerState current;
    switch (o.status()) {
      case RUNNING -> current = ContainerState.running(o.startedAt());
      case EXITED -> {
        ContainerState ended =
            ContainerState.terminated(
                o.startedAt(),
                o.finishedAt(),
                o.exitCode(),
                o.startedAt().equals(livenessFailedRun) ? LIVENESS_FAILED : detail(o));
        boolean newExit =
            newRun
                || lastRun == null
                || lastRun.state() != ContainerState.Kind.TERMINATED
                || !Objects.equals(lastRun.finishTime(), o.finishedAt());
        if (newExit && o.oomKilled()) {
          events =
              GroupEvent.append(
                  events,
                  GroupEvent.warning(
                      "OOMKilled", "Container " + o.name() + " exceeded its memory limit", now));
        }
        // A run the liveness probe killed is restarted unless the policy is Never, whatever it
        // answered SIGTERM with (many servers exit 0 on it), as Kubernetes does.
        boolean killedUnhealthy =
            o.startedAt().equals(livenessFailedRun) && policy != RestartPolicy.NEVER;
        if (mayRestart && (killedUnhealthy || policy.restarts(o.exitCode()))) {
          if (newExit || restartAt == null) {
            Duration ran = Duration.between(o.startedAt(), o.finishedAt());
            if (ran.compareTo(backoff.resetAfter()) >= 0) {
              streak = 0;
            }
            restartAt = o.finishedAt().plus(backoff.delay(streak));
            streak++;
            events =
                GroupEvent.append(
                    events,
                    GroupEvent.warning(
                        "BackOff",
                        "Back-off restarting container "
                            + o.name()
                            + " (exit code "
                            + o.exitCode()
                            + "); next start at "
                            + restartAt,
                        now));
          }
          current = ContainerState.waiting("CrashLoopBackOff");
          previous = ended;
        } else {
          current = ended;
          restartAt = null;
        }
      }
      default ->
          current =
              newRun || lastRun == null ? ContainerState.waiting(o.error()) : before.currentState();
    }
    if (o.status() != dev.berth.runtime.ContainerStatus.RUNNING) {
      ready = null;
    }
    return new ContainerStatus(
        before.name(),
        o.id(),
        current,
        previous,
        restarts,
        events,
        streak,
        restartAt,
        ready,
        livenessFailedRun);
  }

  private static String detail(ContainerObservation o) {
    if (o.oomKilled()) {
      return "OOMKilled";
    }
    return o.exitCode() != null && o.exitCode() == 0 ? "Completed" : "Error";
  }

  private static GroupState groupState(
      ContainerGroup group, List<ContainerStatus> containers, boolean failed) {
    if (failed) {
      return GroupState.FAILED;
    }
    boolean anyRunning =
        containers.stream().anyMatch(c -> c.currentState().state() == ContainerState.Kind.RUNNING);
    if (group.desiredState() == DesiredState.STOPPED) {
      return anyRunning ? GroupState.RUNNING : GroupState.STOPPED;
    }
    if (!containers.stream().allMatch(ContainerStatus::hasStarted)) {
      return GroupState.PENDING;
    }
    // Running, or backing off before a restart.
    boolean anyAlive =
        anyRunning
            || containers.stream()
                .anyMatch(c -> c.currentState().state() == ContainerState.Kind.WAITING);
    if (anyAlive) {
      return GroupState.RUNNING;
    }
    boolean allSucceeded =
        containers.stream().allMatch(c -> Integer.valueOf(0).equals(c.currentState().exitCode()));
    return allSucceeded ? GroupState.SUCCEEDED : GroupState.FAILED;
  }
}
