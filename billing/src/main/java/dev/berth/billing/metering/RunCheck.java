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

  /** Checks a closed run's segment totals against its engine times. */
  public static RunCheck of(UsageRun run, long meteredSeconds, long billedSeconds, Instant now) {
    long engineMillis =
        Math.max(0, java.time.Duration.between(run.startedAt(), run.endedAt()).toMillis());
    long span = java.time.Duration.between(run.startSecond(), run.endSecond()).getSeconds();
    long drift = meteredSeconds * 1000 - engineMillis;
    boolean covered = meteredSeconds == span;
    boolean close = Math.abs(drift) < 1000;
    String detail =
        covered
            ? "metered " + meteredSeconds + " s, the engine ran " + engineMillis + " ms"
            : "segments cover " + meteredSeconds + " s of a " + span + " s run";
    return new RunCheck(
        run.runId(), meteredSeconds, billedSeconds, engineMillis, covered && close, detail, now);
  }
}
