package dev.berth.billing.metering;

import java.time.Instant;
import java.util.UUID;

/**
 * What the reconciliation job found for one finished run.
 *
 * @param meteredSeconds every second in the run's segments, billed or not
 * @param billedSeconds the seconds billed
 * @param engineMillis the engine's FinishedAt - StartedAt, in milliseconds (never negative)
 * @param matches whether the segments cover the run exactly and are within one second of the
 *     engine's times (truncating both ends to the second can cost less than a second, never more)
 */
public record RunCheck(
    UUID runId,
    long meteredSeconds,
    long billedSeconds,
    long engineMillis,
    boolean matches,
    String detail,
    Instant checkedAt) {

  /**
   * Checks a closed run: its segments cover it exactly, and the seconds they count are within a
   * second of the engine's {@code FinishedAt - StartedAt}. The engine is read again when the run's
   * containers still exist; otherwise the times recorded from it (or, for a run that ended by
   * deletion or replacement, Berth's clock at that moment) are used, and the detail says which.
   */
  public static RunCheck of(
      UsageRun run,
      long meteredSeconds,
      long billedSeconds,
      java.util.Optional<EngineRecords.EngineSpan> engine,
      Instant now) {
    Instant start = run.startedAt();
    Instant end = run.endedAt();
    String source;
    if (engine.isPresent()) {
      // A restarted container reports its last start: the recorded first start stays the truth.
      start = engine.get().firstStartedAt().isBefore(start) ? engine.get().firstStartedAt() : start;
      end = engine.get().lastFinishedAt();
      source = "the engine, read again";
    } else if (run.endReason() == EndReason.DELETED || run.endReason() == EndReason.REPLACED) {
      source =
          "the engine's start and Berth's clock at the "
              + (run.endReason() == EndReason.DELETED ? "deletion" : "replacement");
    } else {
      source = "the engine's times recorded during the run";
    }
    long engineMillis = Math.max(0, java.time.Duration.between(start, end).toMillis());
    long span = java.time.Duration.between(run.startSecond(), run.endSecond()).getSeconds();
    long drift = meteredSeconds * 1000 - engineMillis;
    boolean covered = meteredSeconds == span;
    boolean close = Math.abs(drift) < 1000;
    String detail =
        (covered
                ? "metered " + meteredSeconds + " s, the engine ran " + engineMillis + " ms"
                : "segments cover " + meteredSeconds + " s of a " + span + " s run")
            + " (times from "
            + source
            + ")";
    return new RunCheck(
        run.runId(), meteredSeconds, billedSeconds, engineMillis, covered && close, detail, now);
  }
}
