package dev.berth.service.workload;

import dev.berth.runtime.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where the output of finished runs is kept. Writing a run twice keeps the first. */
public interface RunLogs {

  /** The kept output of one run. */
  record KeptRun(Instant startedAt, Instant finishedAt, List<LogLine> lines, boolean truncated) {}

  void keep(UUID groupId, String containerName, KeptRun run);

  Optional<KeptRun> find(UUID groupId, String containerName, Instant startedAt);

  /** Start times of the kept runs of a container, oldest first. */
  List<Instant> runs(UUID groupId, String containerName);

  /**
   * When the last kept run that started before {@code start} finished: where the next run's output
   * begins.
   */
  default Optional<Instant> finishBefore(UUID groupId, String containerName, Instant start) {
    Instant limit = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return runs(groupId, containerName).stream()
        .filter(t -> t.isBefore(limit))
        .reduce((a, b) -> b)
        .flatMap(t -> find(groupId, containerName, t))
        .map(KeptRun::finishedAt);
  }
}
