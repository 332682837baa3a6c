package dev.berth.billing.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * An immutable stretch {@code [start, end)} of whole seconds of one run, with the exact quantities
 * it stands for. Never crosses a metering boundary (an hour by default), so it has one price and
 * one hour, day and month.
 */
public record UsageSegment(
    UUID id,
    UUID runId,
    UUID groupId,
    Instant start,
    Instant end,
    SegmentReason reason,
    long milliCpuSeconds,
    long mibSeconds) {

  public UsageSegment {
    if (!end.isAfter(start) || start.getNano() != 0 || end.getNano() != 0) {
      throw new IllegalArgumentException("a segment is a non-empty range of whole seconds");
    }
  }

  /** A segment of {@code run} over {@code [start, end)}; its id is derived from both. */
  public static UsageSegment of(UsageRun run, Instant start, Instant end, SegmentReason reason) {
    long seconds = Duration.between(start, end).getSeconds();
    return new UsageSegment(
        RunIds.segment(run.runId(), start),
        run.runId(),
        run.groupId(),
        start,
        end,
        reason,
        seconds * run.milliCpu(),
        seconds * run.memoryMiB());
  }

  public long seconds() {
    return Duration.between(start, end).getSeconds();
  }

  public boolean billable() {
    return reason.billable();
  }
}
