package dev.berth.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The segment algebra, over random lives of a run: ticks at random times, reconciler passes that
 * confirm it at random moments, hosts that stop and start answering, a random end, and boundaries
 * of every allowed size. Whatever happens, the segments tile {@code [start, cursor)} with no gap
 * and no overlap, never cross a boundary, never bill past a confirmation or into an outage, and a
 * run that ended is closed at its end second.
 */
class MeterPropertiesTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:59:17.250Z");

  /** One moment of a run's life, in milliseconds after T0. */
  record Step(long atMillis, boolean confirm, boolean hostSilent) {}

  @Provide
  Arbitrary<List<Step>> lives() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.longs().between(1, 400_000),
                Arbitraries.of(true, true, true, false),
                Arbitraries.of(false, false, false, false, true))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(40);
  }

  @Provide
  Arbitrary<Long> boundaries() {
    return Arbitraries.of(1L, 2L, 5L, 10L, 60L, 600L, 3600L);
  }

  @Property(tries = 400)
  void segmentsTileTheRunWithoutGapOrOverlap(
      @ForAll("lives") List<Step> life,
      @ForAll("boundaries") long boundarySeconds,
      @ForAll boolean ends,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 500_000) long endMillis) {
    Meter meter = new Meter(Duration.ofSeconds(boundarySeconds));
    UsageRun run = newRun();
    List<UsageSegment> written = new ArrayList<>();
    Instant confirmed = null;
    Instant silentSince = null;
    Instant answeredAgain = null;
    List<Instant[]> outages = new ArrayList<>();
    List<Step> ordered =
        life.stream().sorted(java.util.Comparator.comparingLong(Step::atMillis)).toList();
    for (Step s : ordered) {
      Instant now = T0.plusMillis(s.atMillis());
      if (s.hostSilent()) {
        if (silentSince == null) {
          silentSince = confirmed == null ? now : confirmed;
          outages.add(new Instant[] {silentSince, null});
        }
      } else {
        if (silentSince != null) {
          answeredAgain = now;
          outages.get(outages.size() - 1)[1] = now;
        }
        silentSince = null;
        if (s.confirm()) {
          confirmed = now;
        }
      }
      Meter.Advance advance =
          meter.advance(run, new Witness(confirmed, silentSince, answeredAgain), now);
      assertThat(advance.before()).isEqualTo(run);
      written.addAll(advance.segments());
      run = advance.run();
      assertThat(run.billedThrough()).isBeforeOrEqualTo(Meter.floorSecond(now));
      for (UsageSegment written1 : advance.segments()) {
        if (written1.billable()) {
          assertThat(confirmed).as("nothing is billed before a pass has seen the run").isNotNull();
          assertThat(written1.end())
              .as("never billed past the last confirmation")
              .isBeforeOrEqualTo(Meter.floorSecond(confirmed));
        }
      }
    }
    if (ends) {
      Instant end = T0.plusMillis(endMillis);
      Instant endSecond = Meter.floorSecond(end);
      if (endSecond.isBefore(run.billedThrough())) {
        endSecond = run.billedThrough();
      }
      run = ended(run, end, endSecond);
      Meter.Advance last =
          meter.advance(
              run, new Witness(confirmed, silentSince, answeredAgain), end.plusSeconds(3));
      written.addAll(last.segments());
      run = last.run();
      assertThat(run.closed()).isTrue();
      assertThat(run.billedThrough()).isEqualTo(endSecond);
    }

    // No gap, no overlap: consecutive segments meet exactly, from the start to the cursor.
    Instant expected = run.startSecond();
    long total = 0;
    for (UsageSegment s : written) {
      assertThat(s.start()).isEqualTo(expected);
      assertThat(s.end()).isAfter(s.start());
      long startBucket = Math.floorDiv(s.start().getEpochSecond(), boundarySeconds);
      long lastBucket = Math.floorDiv(s.end().getEpochSecond() - 1, boundarySeconds);
      assertThat(lastBucket).as("a segment never crosses a boundary").isEqualTo(startBucket);
      assertThat(s.milliCpuSeconds()).isEqualTo(s.seconds() * run.milliCpu());
      assertThat(s.mibSeconds()).isEqualTo(s.seconds() * run.memoryMiB());
      total += s.seconds();
      expected = s.end();
    }
    assertThat(expected).isEqualTo(run.billedThrough());
    assertThat(total)
        .isEqualTo(Duration.between(run.startSecond(), run.billedThrough()).getSeconds());
    // Ids are unique, so a retried write is absorbed rather than counted.
    assertThat(written.stream().map(UsageSegment::id).distinct().count()).isEqualTo(written.size());
    // Nothing inside an outage (from the last answer to the first answer after it) is billed.
    for (UsageSegment s : written) {
      if (!s.billable()) {
        continue;
      }
      for (Instant[] outage : outages) {
        Instant from = Meter.floorSecond(outage[0]).plusSeconds(1);
        Instant to = outage[1] == null ? Instant.MAX : Meter.floorSecond(outage[1]);
        boolean overlaps = s.start().isBefore(to) && s.end().isAfter(from);
        assertThat(overlaps)
            .as("billed %s..%s inside outage %s..%s", s.start(), s.end(), from, to)
            .isFalse();
      }
    }
  }

  @Property(tries = 200)
  void pendingIsWhatTheMeterWouldWriteWithoutBoundaries(
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 7_200_000) long confirmedMillis,
      @ForAll("boundaries") long boundarySeconds) {
    Meter meter = new Meter(Duration.ofSeconds(boundarySeconds));
    UsageRun run = newRun();
    Instant confirmed = T0.plusMillis(confirmedMillis);
    Witness witness = new Witness(confirmed, null, null);
    Meter.Advance advance = meter.advance(run, witness, confirmed.plusMillis(10));
    List<UsageSegment> pending = meter.pending(advance.run(), witness, confirmed.plusMillis(10));
    long written = advance.segments().stream().mapToLong(UsageSegment::seconds).sum();
    long accruing = pending.stream().mapToLong(UsageSegment::seconds).sum();
    assertThat(written + accruing)
        .isEqualTo(Duration.between(run.startSecond(), Meter.floorSecond(confirmed)).getSeconds());
  }

  static UsageRun newRun() {
    UUID group = UUID.randomUUID();
    Instant startSecond = Meter.floorSecond(T0);
    return new UsageRun(
        RunIds.run(group, 1),
        group,
        "sub",
        "rg",
        "g",
        1,
        "local",
        1500,
        1536,
        T0,
        startSecond,
        null,
        null,
        null,
        startSecond,
        null,
        null);
  }

  static UsageRun ended(UsageRun r, Instant end, Instant endSecond) {
    return new UsageRun(
        r.runId(),
        r.groupId(),
        r.subscriptionId(),
        r.resourceGroup(),
        r.groupName(),
        r.generation(),
        r.hostId(),
        r.milliCpu(),
        r.memoryMiB(),
        r.startedAt(),
        r.startSecond(),
        end,
        endSecond,
        EndReason.COMPLETED,
        r.billedThrough(),
        r.faultSince(),
        r.confirmedAt());
  }
}
