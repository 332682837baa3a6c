package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What the engine reports about one container at one moment.
 *
 * @param startedAt when the current or last run started; null when it never ran (the engine's zero
 *     time means absent)
 * @param finishedAt when the last run ended; null while running or before the first run
 * @param exitCode exit code of the last run; null unless {@link ContainerStatus#EXITED}
 * @param oomKilled whether the kernel killed the last run for exceeding its memory limit
 * @param error the engine's error text for a run that could not start, or null
 * @param resources the cgroup limits the container has
 * @param ipAddress the container's address on its network (Docker's bridge) while it runs; null
 *     when it has none of its own (it shares another container's network, or does not run)
 */
public record ContainerObservation(
    String id,
    String name,
    Map<String, String> labels,
    ContainerStatus status,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    boolean oomKilled,
    String error,
    ContainerResources resources,
    String ipAddress) {

  public ContainerObservation {
    labels = Map.copyOf(labels);
  }

  /** An observation that tells no address. */
  public ContainerObservation(
      String id,
      String name,
      Map<String, String> labels,
      ContainerStatus status,
      Integer exitCode,
      Instant startedAt,
      Instant finishedAt,
      boolean oomKilled,
      String error,
      ContainerResources resources) {
    this(
        id,
        name,
        labels,
        status,
        exitCode,
        startedAt,
        finishedAt,
        oomKilled,
        error,
        resources,
        null);
  }
}
