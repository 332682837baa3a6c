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
   * Where the output of the run started at {@code start} begins: after the last line kept for the
   * run before it (or that run's finish, when it wrote nothing). Not simply the finish: the engine
   * stamps a line when it reads it, so a run's last lines can carry times after its FinishedAt.
   */
  default Optional<Instant> outputBegins(UUID groupId, String containerName, Instant start) {
    Instant limit = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return runs(groupId, containerName).stream()
        .filter(t -> t.isBefore(limit))
        .reduce((a, b) -> b)
        .flatMap(t -> find(groupId, containerName, t))
        .map(
            run ->
                run.lines().isEmpty()
                    ? run.finishedAt()
                    : run.lines().get(run.lines().size() - 1).time());
  }
}
