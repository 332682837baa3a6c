package dev.berth.service.containergroup;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler last saw of one container of a group.
 *
 * @param containerId the engine's id of the current container, or null before it is created
 * @param previousState the last terminated run, or null
 * @param restartCount how often the container was started again (by policy or by a restart)
 * @param backoffStreak restarts in a row since the last long run; sets the next backoff
 * @param restartAt when a container backing off is started again; null when none is due
 * @param ready what the readiness probe last said of the current run: null while it has not passed
 *     or failed yet, or when the container has none (see {@link Readiness})
 * @param livenessFailedRun the start time of the run the liveness probe failed, which is killed
 *     (and restarted as its policy says); null when no run failed it
 */
public record ContainerStatus(
    String name,
    String containerId,
    ContainerState currentState,
    ContainerState previousState,
    int restartCount,
    List<GroupEvent> events,
    int backoffStreak,
    Instant restartAt,
    Boolean ready,
    Instant livenessFailedRun) {

  public ContainerStatus {
    events = List.copyOf(events);
  }

  /** A status before any probe said anything of the container. */
  public ContainerStatus(
      String name,
      String containerId,
      ContainerState currentState,
      ContainerState previousState,
      int restartCount,
      List<GroupEvent> events,
      int backoffStreak,
      Instant restartAt) {
    this(
        name,
        containerId,
        currentState,
        previousState,
        restartCount,
        events,
        backoffStreak,
        restartAt,
        null,
        null);
  }

  /** The same status with what the probes said of it. */
  public ContainerStatus withProbeVerdicts(Boolean newReady, Instant newLivenessFailedRun) {
    return new ContainerStatus(
        name,
        containerId,
        currentState,
        previousState,
        restartCount,
        events,
        backoffStreak,
        restartAt,
        newReady,
        newLivenessFailedRun);
  }

  /** The same status with these events. */
  public ContainerStatus withEvents(List<GroupEvent> newEvents) {
    return new ContainerStatus(
        name,
        containerId,
        currentState,
        previousState,
        restartCount,
        newEvents,
        backoffStreak,
        restartAt,
        ready,
        livenessFailedRun);
  }

  public static ContainerStatus initial(String name) {
    return new ContainerStatus(
        name, null, ContainerState.waiting(null), null, 0, List.of(), 0, null);
  }

  /**
   * The latest run: the current state unless waiting, else the previous one (null before any run).
   */
  public ContainerState lastRun() {
    return currentState.state() != ContainerState.Kind.WAITING ? currentState : previousState;
  }

  /** Whether its latest run ended with exit code 0 and it will not run again. */
  public boolean succeeded() {
    return currentState.state() == ContainerState.Kind.TERMINATED
        && Integer.valueOf(0).equals(currentState.exitCode());
  }

  /** Whether it has run at least once in this generation. */
  public boolean hasStarted() {
    return lastRun() != null;
  }
}
