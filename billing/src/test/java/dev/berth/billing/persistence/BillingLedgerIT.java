package dev.berth.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.billing.invoicing.Invoice;
import dev.berth.billing.invoicing.InvoiceLine;
import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.Witness;
import dev.berth.billing.rating.Price;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger on real PostgreSQL: the guarantees that live in the schema (no second twice, immutable
 * segments and invoices, retries absorbed) and the flows that rely on them.
 */
class BillingLedgerIT {

  static EmbeddedPostgres postgres;
  static JdbcTemplate jdbc;
  static JdbcUsageLedger ledger;
  static JdbcUsageQueries queries;
  static JdbcInvoiceStore invoices;
  static TransactionTemplate tx;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    // One DataSource for both, as in the service: the transaction binds its connection to it.
    javax.sql.DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).load().migrate();
    jdbc = new JdbcTemplate(dataSource);
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    ledger = new JdbcUsageLedger(jdbc, tx);
    queries = new JdbcUsageQueries(jdbc, tx, "USD");
    invoices = new JdbcInvoiceStore(jdbc, tx, "USD");
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  static RunObservation observed(
      UUID group, String sub, long generation, Instant started, Instant ended) {
    return new RunObservation(
        group,
        sub,
        "rg",
        "g-" + group.toString().substring(0, 8),
        generation,
        "local",
        1000,
        1536,
        started,
        ended,
        ended == null ? null : EndReason.COMPLETED,
        ended == null ? started : ended);
  }

  static UsageRun run(UUID group, long generation) {
    return queries.runsOfGroup(group).stream()
        .filter(r -> r.generation() == generation)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void noSecondOfAGroupCanBeInTwoSegmentsWhateverTheCodeDoes() {
    UUID group = UUID.randomUUID();
    Instant start = Instant.parse("2026-05-01T10:00:00.400Z");
    ledger.record(observed(group, "s-excl", 1, start, null));
    UsageRun r = run(group, 1);
    String insert =
        "insert into usage_segments (segment_id, run_id, group_id, subscription_id, period,"
            + " start_at, billable, reason, milli_cpu_seconds, mib_seconds)"
            + " values (?, ?, ?, 's-excl', tstzrange(?::timestamptz, ?::timestamptz, '[)'),"
            + " ?::timestamptz, true, 'HELD', 0, 0)";
    jdbc.update(
        insert,
        UUID.randomUUID(),
        r.runId(),
        group,
        "2026-05-01T10:00:00Z",
        "2026-05-01T10:00:10Z",
        "2026-05-01T10:00:00Z");
    assertThatThrownBy(
            () ->
                jdbc.update(
                    insert,
                    UUID.randomUUID(),
                    r.runId(),
                    group,
                    "2026-05-01T10:00:09Z",
                    "2026-05-01T10:00:20Z",
                    "2026-05-01T10:00:09Z"))
        .hasMessageContaining("usage_segments_no_second_twice");
    assertThatThrownBy(() -> jdbc.update("update usage_segments set billable = false"))
        .hasMessageContaining("immutable");
    assertThatThrownBy(() -> jdbc.update("delete from usage_segments where group_id = ?", group))
        .hasMessageContaining("immutable");
  }

  @Test
  void aRepeatedOrStaleAdvanceIsAbsorbedAndTheCursorMovesWithItsSegments() {
    UUID group = UUID.randomUUID();
    Instant start = Instant.parse("2026-05-02T10:00:00.400Z");
    RunObservation first = observed(group, "s-retry", 1, start, null);
    ledger.record(first);
    ledger.record(first); // a crash between reporting and saving the status repeats the report
    assertThat(queries.runsOfGroup(group)).hasSize(1);

    Meter meter = new Meter(Duration.ofSeconds(10));
    UsageRun before = run(group, 1);
    Meter.Advance advance =
        meter.advance(
            before, new Witness(start.plusSeconds(35), null, null), start.plusSeconds(36));
    assertThat(advance.segments()).hasSize(3); // 00-10, 10-20, 20-30
    assertThat(ledger.apply(List.of(advance))).isEqualTo(1);
    assertThat(ledger.apply(List.of(advance))).as("the same advance again").isZero();
    assertThat(run(group, 1).billedThrough()).isEqualTo(Instant.parse("2026-05-02T10:00:30Z"));
    Long segments =
        jdbc.queryForObject(
            "select count(*) from usage_segments where group_id = ?", Long.class, group);
    assertThat(segments).isEqualTo(3);

    // It ends at the engine's FinishedAt; the meter closes it at the end second.
    ledger.record(observed(group, "s-retry", 1, start, start.plusSeconds(41).plusMillis(900)));
    UsageRun ended = run(group, 1);
    assertThat(ended.endSecond()).isEqualTo(Instant.parse("2026-05-02T10:00:42Z"));
    Meter.Advance last = meter.advance(ended, Witness.NONE, start.plusSeconds(50));
    assertThat(ledger.apply(List.of(last))).isEqualTo(1);
    assertThat(run(group, 1).closed()).isTrue();
    long metered =
        queries.quantitiesByRun(List.of(ended.runId())).get(ended.runId()).stream()
            .mapToLong(q -> q.seconds())
            .sum();
    assertThat(metered).isEqualTo(42);
  }

  @Test
  void aSubscriptionsTotalsFollowItsSegmentsAtEachSecondsPriceAndARetryCountsNothing() {
    // EUR's price changes at 11:00; USD keeps ACI's list price.
    jdbc.update(
        "insert into price_book values (?, 'EUR', 0.00002, 0.000002, '1970-01-01T00:00:00Z',"
            + " '2026-06-01T11:00:00Z')",
        UUID.randomUUID());
    jdbc.update(
        "insert into price_book values (?, 'EUR', 0.00003, 0.000003, '2026-06-01T11:00:00Z',"
            + " null)",
        UUID.randomUUID());
    UUID group = UUID.randomUUID();
    Instant start = Instant.parse("2026-06-01T10:59:40Z");
    ledger.record(observed(group, "s-totals", 1, start, start.plusSeconds(40)));
    Meter.Advance advance =
        new Meter(Duration.ofSeconds(10))
            .advance(run(group, 1), Witness.NONE, start.plusSeconds(60));
    assertThat(ledger.apply(List.of(advance))).isEqualTo(1);
    assertThat(ledger.apply(List.of(advance))).as("the same advance again").isZero();

    // 40 s of 1 vCPU and 1.5 GB: 20 s at each of EUR's prices, all 40 at USD's.
    var usd = totalsOf(queries, "s-totals");
    assertThat(usd.billedSeconds()).isEqualTo(40);
    assertThat(usd.unbilledSeconds()).isZero();
    assertThat(usd.milliCpuSeconds()).isEqualTo(40_000);
    assertThat(usd.mibSeconds()).isEqualTo(40 * 1536);
    assertThat(usd.cost().currency()).isEqualTo("USD");
    assertThat(usd.cost().amount())
        .isEqualByComparingTo(
            new java.math.BigDecimal("0.0005244")); // 40 x (0.00001125 + 1.5 x 0.00000124)
    var eur = totalsOf(new JdbcUsageQueries(jdbc, tx, "EUR"), "s-totals");
    assertThat(eur.billedSeconds()).isEqualTo(40);
    assertThat(eur.cost().amount())
        .isEqualByComparingTo(
            new java.math.BigDecimal("0.00115")); // 20 x 0.000023 + 20 x 0.0000345
  }

  static dev.berth.billing.api.UsageQueries.SubscriptionTotals totalsOf(
      JdbcUsageQueries queries, String subscription) {
    return queries.totals().stream()
        .filter(t -> t.subscriptionId().equals(subscription))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewGenerationEndsTheOldRunBeforeItStartsSoTheyNeverOverlap() {
    UUID group = UUID.randomUUID();
    Instant start = Instant.parse("2026-05-03T10:00:00.400Z");
    ledger.record(observed(group, "s-gen", 1, start, null));
    Instant second = start.plusSeconds(20);
    ledger.record(
        new RunObservation(
            group,
            "s-gen",
            "rg",
            "g",
            2,
            "local",
            1000,
            1536,
            second,
            null,
            null,
            second.plusSeconds(2)));
    UsageRun old = run(group, 1);
    UsageRun current = run(group, 2);
    assertThat(old.endReason()).isEqualTo(EndReason.REPLACED);
    assertThat(old.endSecond()).isBeforeOrEqualTo(current.startSecond());

    MeteringUsage metering =
        new MeteringUsage(
            ledger,
            r -> new Witness(second.plusSeconds(30), null, null),
            new Meter(Duration.ofSeconds(1)),
            Clock.fixed(second.plusSeconds(31), ZoneOffset.UTC),
            1);
    assertThat(metering.tick()).isGreaterThanOrEqualTo(2);
    Long overlapping =
        jdbc.queryForObject(
            "select count(*) from usage_segments a join usage_segments b on a.group_id = b.group_id"
                + " and a.segment_id <> b.segment_id and a.period && b.period where a.group_id = ?",
            Long.class,
            group);
    assertThat(overlapping).isZero();
  }

  @Test
  void aClosedMonthsInvoiceIsFinalAndALateSegmentBecomesACorrectionNextMonth() {
    UUID group = UUID.randomUUID();
    String sub = "s-inv-" + UUID.randomUUID();
    // A run in January 2020 that the meter writes before January closes ...
    Instant start = Instant.parse("2020-01-10T10:00:00Z");
    ledger.record(observed(group, sub, 1, start, start.plusSeconds(3600)));
    Meter meter = new Meter(Duration.ofHours(1));
    ledger.apply(List.of(meter.advance(run(group, 1), Witness.NONE, start.plusSeconds(4000))));

    Clock clock = new dev.berth.billing.SettableClock(Instant.parse("2020-02-03T00:00:00Z"));
    Invoicing invoicing =
        new Invoicing(
            invoices,
            () ->
                queries.prices().stream().collect(Collectors.toMap(Price::id, Function.identity())),
            clock,
            Duration.ofDays(1),
            "USD",
            (subscription, month) -> java.util.List.of());
    YearMonth jan = YearMonth.of(2020, 1);
    assertThat(invoicing.invoice(sub, jan).status()).isEqualTo(Invoice.Status.DRAFT);
    assertThat(invoicing.closeDueMonths()).isPositive();
    Invoice january = invoicing.invoice(sub, jan);
    assertThat(january.status()).isEqualTo(Invoice.Status.FINAL);
    assertThat(january.lines())
        .singleElement()
        .extracting(InvoiceLine::billedSeconds)
        .isEqualTo(3600L);
    // 3600 s x (1 vCPU x 0.00001125 + 1.5 GB x 0.00000124) = 0.047196 -> 0.05
    assertThat(january.total().amount()).isEqualByComparingTo("0.05");
    assertThatThrownBy(
            () -> jdbc.update("update invoices set total = 0 where invoice_id = ?", january.id()))
        .hasMessageContaining("never edited");

    // ... and a second January run the meter only writes after January closed (the service was
    // down, say): it is not added to January's final invoice but to February's, linked to it.
    UUID late = UUID.randomUUID();
    Instant lateStart = Instant.parse("2020-01-20T10:00:00Z");
    ledger.record(observed(late, sub, 1, lateStart, lateStart.plusSeconds(600)));
    ledger.apply(List.of(meter.advance(run(late, 1), Witness.NONE, lateStart.plusSeconds(700))));
    assertThat(invoicing.invoice(sub, jan).lines()).hasSize(1);
    Invoice february = invoicing.invoice(sub, YearMonth.of(2020, 2));
    assertThat(february.status()).isEqualTo(Invoice.Status.DRAFT);
    assertThat(february.lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.kind()).isEqualTo(InvoiceLine.Kind.CORRECTION);
              assertThat(l.usageMonth()).isEqualTo(jan);
              assertThat(l.correctsInvoice()).isEqualTo(january.id());
              assertThat(l.billedSeconds()).isEqualTo(600);
            });
  }
}
