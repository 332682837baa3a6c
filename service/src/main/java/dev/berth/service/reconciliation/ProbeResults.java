package dev.berth.service.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the probes of this replica found, handed to each pass of a group; and what the pass tells
 * them to check. The probes only report; the pass decides (a liveness kill, the readiness shown)
 * and saves it with the status, so every decision is the reconciler's and is repeated, not lost,
 * when a pass is cut short.
 */
public interface ProbeResults {

  /**
   * What the probes found of the group's containers: the checks since the last call (taken: each is
   * handed over once) and the verdict on each container's current run (level: the same until the
   * run changes).
   */
  Report take(UUID groupId);

  /**
   * After a pass on the host's owner: the group's runs the probes must check now; runs not named
   * any more are no longer checked. An empty list forgets the group.
   */
  void track(UUID groupId, String hostId, List<ProbeTarget> targets);

  /** Nothing is probed (a Berth wired without probes, most unit tests). */
  ProbeResults NONE =
      new ProbeResults() {
        @Override
        public Report take(UUID groupId) {
          return Report.EMPTY;
        }

        @Override
        public void track(UUID groupId, String hostId, List<ProbeTarget> targets) {}
      };

  /**
   * What the probes found of one group.
   *
   * @param findings what happened, oldest first
   * @param verdicts by container name: what its probes say of the run they check now
   */
  record Report(List<ProbeFinding> findings, Map<String, Verdict> verdicts) {
    public static final Report EMPTY = new Report(List.of(), Map.of());

    public Report {
      findings = List.copyOf(findings);
      verdicts = Map.copyOf(verdicts);
    }
  }

  /**
   * The probes' verdict on one run of a container.
   *
   * @param run the run's start time (the engine's)
   * @param ready what the readiness probe says; null without one, or before it passed or failed
   * @param livenessFailed whether the liveness probe failed the run
   */
  record Verdict(Instant run, Boolean ready, boolean livenessFailed) {}
}
