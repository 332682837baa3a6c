package dev.berth.service.workload;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.LogLine;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps a run's output when the reconciler first sees the run end: the engine's log of the
 * container holds every run, so this run's lines are cut out and stored (at most {@code maxBytes},
 * the newest kept), before the container can be removed.
 *
 * <p>A run's lines are those after the last line kept for the run before it, up to its own finish
 * plus a moment. Neither the start nor the previous finish can be the cut: the engine stamps a line
 * when it reads it, so a line written at once can carry a time before the StartedAt it records, and
 * a run's last line one after its FinishedAt (both seen on Docker 20.10).
 */
public final class KeepingRunLogs {

  private static final Logger log = Logger.getLogger(KeepingRunLogs.class.getName());
  private static final int MAX_LINES = 100_000;

  /** How long after a run's FinishedAt its last lines may still be stamped by the engine. */
  static final java.time.Duration LATE_LINES = java.time.Duration.ofMillis(100);

  private final RunLogs store;
  private final int maxBytes;

  public KeepingRunLogs(RunLogs store, int maxBytes) {
    this.store = store;
    this.maxBytes = maxBytes;
  }

  /** Keeps every run that ended between {@code before} and {@code after}. */
  public void keepFinishedRuns(GroupStatus before, GroupStatus after, ContainerRuntime runtime) {
    for (ContainerStatus now : after.containers()) {
      if (now.containerId() == null) {
        continue;
      }
      ContainerStatus was =
          before.observedGeneration() == after.observedGeneration()
              ? before.container(now.name()).orElse(null)
              : null;
      for (ContainerState run : endedRuns(now)) {
        if (!knownAsEnded(was, run)) {
          keep(after, now, run, runtime);
        }
      }
    }
  }

  private static List<ContainerState> endedRuns(ContainerStatus c) {
    List<ContainerState> ended = new ArrayList<>();
    if (c.currentState().state() == ContainerState.Kind.TERMINATED) {
      ended.add(c.currentState());
    }
    if (c.previousState() != null && c.previousState().state() == ContainerState.Kind.TERMINATED) {
      ended.add(c.previousState());
    }
    return ended;
  }

  private static boolean knownAsEnded(ContainerStatus was, ContainerState run) {
    return was != null
        && endedRuns(was).stream().anyMatch(r -> r.startTime().equals(run.startTime()));
  }

  private void keep(
      GroupStatus group, ContainerStatus container, ContainerState run, ContainerRuntime runtime) {
    try {
      java.time.Instant after =
          store.outputBegins(group.groupId(), container.name(), run.startTime()).orElse(null);
      List<LogLine> lines = new ArrayList<>();
      for (LogLine line : runtime.logs(container.containerId(), after, MAX_LINES)) {
        if ((after == null || line.time().isAfter(after))
            && !line.time().isAfter(run.finishTime().plus(LATE_LINES))) {
          lines.add(line);
        }
      }
      boolean truncated = false;
      long bytes =
          lines.stream().mapToLong(l -> l.text().getBytes(StandardCharsets.UTF_8).length + 1).sum();
      while (bytes > maxBytes && !lines.isEmpty()) {
        bytes -= lines.remove(0).text().getBytes(StandardCharsets.UTF_8).length + 1;
        truncated = true;
      }
      store.keep(
          group.groupId(),
          container.name(),
          new RunLogs.KeptRun(run.startTime(), run.finishTime(), lines, truncated));
    } catch (RuntimeFailure e) {
      log.warning(
          "could not keep the logs of a run of " + container.name() + ": " + e.getMessage());
    }
  }
}
