package dev.berth.billing.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The metering rule, as one pure function from a run's ledger row, what the service vouches for,
 * and the time, to the segments to write and the new cursor.
 *
 * <ul>
 *   <li>A run that holds its resources is billed through the last moment a reconciler pass saw it
 *       holding them, never through a moment nobody saw; while it runs, the cursor moves only to
 *       boundaries, so there is at most one segment per run per boundary interval.
 *   <li>A run that ended is billed to its end second and closed.
 *   <li>When the host stops answering, billing stops at the last moment it answered; the time until
 *       it answers again (or the run ends) is written as a segment that is not billed.
 * </ul>
 *
 * Segments never cross a boundary. Timestamps are truncated to the second, so a run's metered
 * seconds are {@code trunc(end) - trunc(start)}: never more than one second from the engine's
 * {@code FinishedAt - StartedAt}.
 */
public final class Meter {

  private final long boundarySeconds;

  /**
   * @param boundary where segments are cut: it divides an hour into whole seconds (an hour by
   *     default), so no segment crosses an hour, a day or a month
   */
  public Meter(Duration boundary) {
    long seconds = boundary.getSeconds();
    if (seconds < 1 || boundary.getNano() != 0 || 3600 % seconds != 0) {
      throw new IllegalArgumentException(
          "the metering boundary must be whole seconds that divide an hour, not " + boundary);
    }
    this.boundarySeconds = seconds;
  }

  /**
   * What is written for a run: segments and the run with its new cursor.
   *
   * @param run the run as read, with the cursor the write must still find
   */
  public record Advance(UsageRun before, UsageRun run, List<UsageSegment> segments) {

    public Advance {
      segments = List.copyOf(segments);
    }

    public boolean changed() {
      return !segments.isEmpty()
          || !java.util.Objects.equals(before.faultSince(), run.faultSince());
    }
  }

  /** What to write for {@code run} now. */
  public Advance advance(UsageRun run, Witness witness, Instant now) {
    return step(run, witness, now, true);
  }

  /**
   * The segments a run would get if the meter wrote everything it can vouch for now, boundary or
   * not: what has accrued beyond the cursor. Nothing is written.
   */
  public List<UsageSegment> pending(UsageRun run, Witness witness, Instant now) {
    return step(run, witness, now, false).segments();
  }

  private Advance step(UsageRun run, Witness witness, Instant now, boolean onBoundaries) {
    List<UsageSegment> out = new ArrayList<>();
    Instant cursor = run.billedThrough();
    Instant fault = run.faultSince();
    Instant end = run.endSecond();
    if (fault != null) {
      Instant resume = null;
      if (!witness.hostUnreachable() && witness.hostAnsweredAgainAt() != null) {
        resume = floorSecond(witness.hostAnsweredAgainAt());
      }
      if (end != null && (resume == null || resume.isAfter(end))) {
        resume = end;
      }
      if (resume == null) {
        return new Advance(run, run, out);
      }
      resume = later(resume, cursor);
      cut(run, cursor, resume, SegmentReason.HOST_UNREACHABLE, out);
      cursor = resume;
      fault = null;
    }
    if (end == null && witness.hostUnreachable()) {
      Instant lastAnswer =
          witness.confirmedAt() == null
              ? null
              : earlier(witness.confirmedAt(), witness.hostUnreachableSince());
      Instant target = lastAnswer == null ? cursor : later(cursor, floorSecond(lastAnswer));
      cut(run, cursor, target, SegmentReason.HELD, out);
      return new Advance(run, run.advancedTo(target, target), out);
    }
    Instant limit;
    if (end != null) {
      limit = end;
    } else if (witness.confirmedAt() == null) {
      limit = cursor;
    } else {
      limit = floorSecond(earlier(now, witness.confirmedAt()));
      if (onBoundaries) {
        limit = boundaryAtOrBefore(limit);
      }
    }
    if (limit.isAfter(cursor)) {
      cut(run, cursor, limit, SegmentReason.HELD, out);
      cursor = limit;
    }
    return new Advance(run, run.advancedTo(cursor, fault), out);
  }

  /** Appends segments covering {@code [from, to)}, cut at every boundary. */
  private void cut(
      UsageRun run, Instant from, Instant to, SegmentReason reason, List<UsageSegment> out) {
    Instant start = from;
    while (start.isBefore(to)) {
      Instant next = earlier(to, boundaryAtOrBefore(start).plusSeconds(boundarySeconds));
      out.add(UsageSegment.of(run, start, next, reason));
      start = next;
    }
  }

  /** The last boundary at or before {@code t}. */
  public Instant boundaryAtOrBefore(Instant t) {
    long s = t.getEpochSecond();
    return Instant.ofEpochSecond(s - Math.floorMod(s, boundarySeconds));
  }

  public static Instant floorSecond(Instant t) {
    return Instant.ofEpochSecond(t.getEpochSecond());
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
