package dev.berth.billing.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.billing.SettableClock;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.RunIds;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.UsageSegment;
import dev.berth.billing.metering.Witness;
import dev.berth.billing.rating.AciPrices;
import dev.berth.billing.rating.Price;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Usage as the API shows it, over an in-memory ledger: prices that change, and live accrual. */
class ReadingUsageTest {

  static final Instant T0 = Instant.parse("2026-07-01T09:30:00Z");
  static final Instant CHANGE = Instant.parse("2026-07-01T10:00:00Z");
  static final Price OLD =
      new Price(
          AciPrices.LINUX.id(),
          "USD",
          AciPrices.LINUX.perVcpuSecond(),
          AciPrices.LINUX.perGbSecond(),
          Instant.EPOCH,
          CHANGE);
  static final Price NEW =
      new Price(
          UUID.randomUUID(),
          "USD",
          new BigDecimal("0.00001"),
          new BigDecimal("0.000001"),
          CHANGE,
          null);

  final Meter meter = new Meter(Duration.ofHours(1));
  final List<UsageSegment> segments = new ArrayList<>();
  final SettableClock clock = new SettableClock(T0);
  UsageRun run;

  /** A ledger of one run and its written segments. */
  final UsageQueries ledger =
      new UsageQueries() {
        @Override
        public List<UsageRun> runsOfGroup(UUID groupId) {
          return List.of(run);
        }

        @Override
        public List<UsageRun> runsOfGroupNamed(String s, String rg, String name) {
          return List.of(run);
        }

        @Override
        public List<String> subscriptions() {
          return List.of("s");
        }

        @Override
        public List<UsageRun> openRuns(String subscriptionId) {
          return run.closed() ? List.of() : List.of(run);
        }

        @Override
        public Map<UUID, List<Quantity>> quantitiesByRun(List<UUID> runIds) {
          List<Quantity> q =
              segments.stream()
                  .map(
                      s ->
                          new Quantity(
                              (s.start().isBefore(CHANGE) ? OLD : NEW).id(),
                              s.billable(),
                              s.seconds(),
                              s.milliCpuSeconds(),
                              s.mibSeconds()))
                  .toList();
          return Map.of(run.runId(), q);
        }

        @Override
        public List<BucketQuantity> bucketed(
            String subscriptionId, Instant from, Instant to, Granularity g) {
          return segments.stream()
              .map(
                  s ->
                      new BucketQuantity(
                          g.bucketOf(s.start()),
                          "rg",
                          "web",
                          new Quantity(
                              (s.start().isBefore(CHANGE) ? OLD : NEW).id(),
                              true,
                              s.seconds(),
                              s.milliCpuSeconds(),
                              s.mibSeconds())))
              .toList();
        }

        @Override
        public List<Price> prices() {
          return List.of(OLD, NEW);
        }

        @Override
        public List<SubscriptionTotals> totals() {
          throw new UnsupportedOperationException("ReadingUsage does not read the totals");
        }
      };

  @Test
  void aRunAcrossAPriceChangeIsChargedAtEachPriceAndWhatAccruesIsShownLive() {
    UUID group = UUID.randomUUID();
    run =
        new UsageRun(
            RunIds.run(group, 1),
            group,
            "s",
            "rg",
            "web",
            1,
            "local",
            2000,
            2048,
            T0,
            T0,
            null,
            null,
            null,
            T0,
            null,
            null);
    // 09:30 -> 10:15, confirmed by a pass at 10:15: the meter writes 09:30-10:00 (a boundary);
    // 10:00-10:15 is accruing, not written.
    Instant now = CHANGE.plus(Duration.ofMinutes(15));
    clock.set(now);
    Witness seen = new Witness(now, null, null);
    Meter.Advance advance = meter.advance(run, seen, now);
    segments.addAll(advance.segments());
    run = advance.run();
    ReadingUsage usage = new ReadingUsage(ledger, r -> seen, meter, clock, "USD");

    ReadingUsage.RunUsage shown = usage.ofGroup(group).runs().get(0);
    assertThat(shown.billedSeconds()).isEqualTo(45 * 60);
    assertThat(shown.running()).isTrue();
    assertThat(shown.accruedThrough()).isEqualTo(now);
    assertThat(shown.charges()).hasSize(2);
    // 1800 s x (2 x 0.00001125 + 2 x 0.00000124) at the old price = 0.044964
    assertThat(shown.charges().get(0).cost().amount()).isEqualByComparingTo("0.044964");
    // 900 s x (2 x 0.00001 + 2 x 0.000001) at the new one = 0.0198
    assertThat(shown.charges().get(1).cost().amount()).isEqualByComparingTo("0.0198");
    assertThat(shown.cost().amount()).isEqualByComparingTo("0.064764");
    assertThat(shown.costPerSecond().amount()).isEqualByComparingTo("0.000022");

    ReadingUsage.SubscriptionUsage month =
        usage.ofSubscription(
            "s", T0.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), Granularity.HOURLY);
    assertThat(month.totalCost().amount()).isEqualByComparingTo("0.064764");
    assertThat(month.timeSeries()).containsOnlyKeys(Instant.parse("2026-07-01T09:00:00Z"), CHANGE);
    assertThat(month.byGroup()).singleElement().satisfies(g -> assertThat(g.running()).isTrue());
    assertThat(
            month.rows().stream()
                .map(r -> r.totals().cost().amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo("0.064764");
  }
}
