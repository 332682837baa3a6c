package dev.berth.service.workload;

import dev.berth.runtime.LogLine;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.host.HostRuntimes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A container's output, per run: the latest run (or, with {@code previous}, the one before it),
 * from the kept copy when the run has ended, else live from the engine.
 */
public final class ReadingContainerLogs {

  private static final int MAX_LINES = 100_000;

  private final ContainerGroupStore store;
  private final RunLogs kept;
  private final HostRuntimes hosts;

  public ReadingContainerLogs(ContainerGroupStore store, RunLogs kept, HostRuntimes hosts) {
    this.store = store;
    this.kept = kept;
    this.hosts = hosts;
  }

  /**
   * The lines of one run, oldest first.
   *
   * @param begins the time after which the run's output begins (null: the container's first run, or
   *     no run at all), so that {@code lines} and the engine's lines after {@code begins} agree
   */
  public record RunOutput(
      Instant startedAt, List<LogLine> lines, boolean truncated, Instant begins) {
    static final RunOutput NONE = new RunOutput(null, List.of(), false, null);

    /** Where a follow of this output goes on from: after its last line, or where it begins. */
    public Instant cursor() {
      return lines.isEmpty() ? begins : lines.get(lines.size() - 1).time();
    }
  }

  /** Empty when there is no such group. */
  public Optional<RunOutput> read(GroupKey key, String containerName, boolean previous) {
    Optional<ContainerGroup> group = store.find(key);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    ContainerGroup g = group.get();
    if (g.spec().containers().stream().noneMatch(c -> c.name().equals(containerName))) {
      throw new ContainerNotFoundException(key.name(), containerName);
    }
    Optional<GroupStatus> status = store.status(g.id());
    Optional<ContainerStatus> container = status.flatMap(s -> s.container(containerName));
    ContainerState latest = container.map(ContainerStatus::lastRun).orElse(null);
    List<Instant> keptRuns = kept.runs(g.id(), containerName);
    Instant target;
    if (previous) {
      Instant before = latest == null ? null : micros(latest.startTime());
      target =
          keptRuns.stream()
              .filter(t -> before == null || t.isBefore(before))
              .reduce((a, b) -> b)
              .orElse(null);
    } else {
      target =
          latest != null ? latest.startTime() : keptRuns.stream().reduce((a, b) -> b).orElse(null);
    }
    if (target == null) {
      return Optional.of(RunOutput.NONE);
    }
    Instant after = kept.outputBegins(g.id(), containerName, target).orElse(null);
    Optional<RunLogs.KeptRun> stored = kept.find(g.id(), containerName, target);
    if (stored.isPresent()) {
      return Optional.of(
          new RunOutput(target, stored.get().lines(), stored.get().truncated(), after));
    }
    String containerId = container.map(ContainerStatus::containerId).orElse(null);
    if (containerId == null || status.get().hostId() == null) {
      return Optional.of(RunOutput.NONE);
    }
    var runtime = hosts.forHost(status.get().hostId());
    // The engine may have begun a newer run the status does not show yet (a restart between the
    // reconciler's start and its save): the run asked for ends where that one begins.
    Instant newerRun =
        runtime
            .inspect(containerId)
            .map(dev.berth.runtime.ContainerObservation::startedAt)
            .filter(started -> started.isAfter(target.plusMillis(1)))
            .orElse(null);
    List<LogLine> live =
        runtime.logs(containerId, after, MAX_LINES).stream()
            .filter(l -> after == null || l.time().isAfter(after))
            .filter(l -> newerRun == null || l.time().isBefore(newerRun))
            .toList();
    return Optional.of(new RunOutput(target, live, false, after));
  }

  private static Instant micros(Instant time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }
}
