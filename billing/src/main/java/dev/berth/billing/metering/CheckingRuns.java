package dev.berth.billing.metering;

import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * The reconciliation job: compares each finished run's metered seconds with the engine's FinishedAt
 * - StartedAt and records the result. A mismatch is expected never to happen; each one is logged
 * and counted.
 */
public final class CheckingRuns {

  private static final Logger log = Logger.getLogger(CheckingRuns.class.getName());

  private final RunChecks checks;
  private final EngineRecords engine;
  private final Clock clock;

  public CheckingRuns(RunChecks checks, EngineRecords engine, Clock clock) {
    this.checks = checks;
    this.engine = engine;
    this.clock = clock;
  }

  /** Checks the closed runs not checked yet; returns how many. */
  public int check() {
    int done = 0;
    while (true) {
      List<RunChecks.Unchecked> batch = checks.unchecked(500);
      if (batch.isEmpty()) {
        return done;
      }
      List<RunCheck> found =
          batch.stream()
              .map(
                  u ->
                      RunCheck.of(
                          u.run(),
                          u.meteredSeconds(),
                          u.billedSeconds(),
                          engine.of(u.run()),
                          clock.instant()))
              .toList();
      found.stream()
          .filter(c -> !c.matches())
          .forEach(c -> log.warning("billing mismatch in run " + c.runId() + ": " + c.detail()));
      checks.record(found);
      done += found.size();
    }
  }
}
