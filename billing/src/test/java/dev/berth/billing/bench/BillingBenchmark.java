package dev.berth.billing.bench;

import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.billing.metering.Witness;
import dev.berth.billing.persistence.JdbcInvoiceStore;
import dev.berth.billing.persistence.JdbcUsageLedger;
import dev.berth.billing.persistence.JdbcUsageQueries;
import dev.berth.billing.rating.Price;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Billing at 10,000 groups, on embedded PostgreSQL, next to the raw SQL that does the same writes
 * and reads in the same run:
 *
 * <ol>
 *   <li>metering: the CPU (this JVM) and wall time of a tick that has nothing to write (what the
 *       meter costs every interval) and of a tick at an hour boundary (one segment per run), next
 *       to one INSERT ... SELECT plus one UPDATE doing the same writes;
 *   <li>invoicing: closing a month of hourly segments of every group (10,000 x hours), next to the
 *       bare GROUP BY over the same rows.
 * </ol>
 *
 * Arguments: groups (10000), hours of the month (744), subscriptions (100).
 */
public final class BillingBenchmark {

  public static void main(String[] args) throws Exception {
    int groups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 744;
    int subscriptions = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      // As the service configures its pool: batched inserts sent as multi-row statements.
      DataSource ds =
          postgres.getDatabase(
              "postgres", "postgres", java.util.Map.of("reWriteBatchedInserts", "true"));
      Flyway.configure().dataSource(ds).load().migrate();
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
      metering(jdbc, tx, groups, subscriptions);
      invoicing(jdbc, tx, groups, hours, subscriptions);
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void seedRuns(
      JdbcTemplate jdbc, int groups, int subscriptions, String start, String prefix) {
    jdbc.update(
        "insert into usage_runs (run_id, group_id, subscription_id, resource_group, group_name,"
            + " generation, host_id, milli_cpu, memory_mib, started_at, start_second,"
            + " billed_through) select md5(?||i)::uuid, md5(?||'g'||i)::uuid, 'sub-' || (i % ?),"
            + " 'rg-' || (i % 10), 'group-' || i, 1, 'local', 1000, 1536, ?::timestamptz,"
            + " ?::timestamptz, ?::timestamptz from generate_series(1, ?) i",
        prefix, prefix, subscriptions, start, start, start, groups);
  }

  static void metering(JdbcTemplate jdbc, TransactionTemplate tx, int groups, int subscriptions) {
    Instant t0 = Instant.parse("2026-09-01T00:00:00Z");
    seedRuns(jdbc, groups, subscriptions, t0.toString(), "m");
    JdbcUsageLedger ledger = new JdbcUsageLedger(jdbc, tx);
    Meter meter = new Meter(Duration.ofHours(1));
    var now = new dev.berth.billing.SettableClock(t0.plusSeconds(5));
    Clock clock = now;
    MeteringUsage metering =
        new MeteringUsage(
            ledger, run -> new Witness(now.instant(), null, null), meter, clock, 1000);
    metering.tick(); // warm-up: nothing due yet
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    int idleTicks = 5;
    for (int i = 0; i < idleTicks; i++) {
      metering.tick();
    }
    double idleWallMs = (System.nanoTime() - wall) / 1e6 / idleTicks;
    double idleCpuMs = (cpuNanos() - cpu) / 1e6 / idleTicks;

    double boundaryWall = 0;
    double boundaryCpu = 0;
    int boundaryTicks = 3;
    for (int h = 1; h <= boundaryTicks; h++) {
      now.set(t0.plus(Duration.ofHours(h)).plusSeconds(5));
      cpu = cpuNanos();
      wall = System.nanoTime();
      int applied = metering.tick();
      boundaryWall += (System.nanoTime() - wall) / 1e6;
      boundaryCpu += (cpuNanos() - cpu) / 1e6;
      if (applied != groups) {
        throw new IllegalStateException("metered " + applied + " runs, expected " + groups);
      }
    }
    boundaryWall /= boundaryTicks;
    boundaryCpu /= boundaryTicks;

    // The raw baseline: the same segments and cursor moves, as two set-based statements.
    seedRuns(jdbc, groups, subscriptions, t0.toString(), "raw");
    double rawWall = 0;
    for (int h = 1; h <= boundaryTicks; h++) {
      String from = t0.plus(Duration.ofHours(h - 1)).toString();
      String to = t0.plus(Duration.ofHours(h)).toString();
      long start = System.nanoTime();
      tx.executeWithoutResult(
          s -> {
            jdbc.update(
                "insert into usage_segments (segment_id, run_id, group_id, subscription_id,"
                    + " period, start_at, billable, reason, milli_cpu_seconds, mib_seconds)"
                    + " select md5(run_id::text || ?)::uuid, run_id, group_id, subscription_id,"
                    + " tstzrange(?::timestamptz, ?::timestamptz, '[)'), ?::timestamptz, true,"
                    + " 'HELD', 3600 * milli_cpu, 3600 * memory_mib from usage_runs"
                    + " where group_name like 'group-%' and run_id in (select md5('raw' || i)::uuid"
                    + " from generate_series(1, ?) i)",
                from, from, to, from, groups);
            jdbc.update(
                "update usage_runs set billed_through = ?::timestamptz where run_id in"
                    + " (select md5('raw' || i)::uuid from generate_series(1, ?) i)",
                to,
                groups);
          });
      rawWall += (System.nanoTime() - start) / 1e6;
    }
    rawWall /= boundaryTicks;

    System.out.printf(
        "%nMetering %,d running groups (embedded PostgreSQL, this machine)%n", groups);
    System.out.printf(
        "  idle tick (nothing due):      %8.1f ms wall, %8.1f ms CPU in the service JVM"
            + " (%.2f us CPU per group)%n",
        idleWallMs, idleCpuMs, idleCpuMs * 1000 / groups);
    System.out.printf(
        "  hour-boundary tick (%,d segments): %8.1f ms wall, %8.1f ms CPU (%.2f us CPU per group)%n",
        groups, boundaryWall, boundaryCpu, boundaryCpu * 1000 / groups);
    System.out.printf("  raw SQL baseline, same writes: %8.1f ms wall%n", rawWall);
    System.out.printf("  ratio boundary tick / raw SQL: %.2fx%n", boundaryWall / rawWall);
    System.out.printf(
        "  at the default 10 s interval the idle meter uses %.3f%% of one core%n",
        idleCpuMs / 10_000 * 100);
  }

  static void invoicing(
      JdbcTemplate jdbc, TransactionTemplate tx, int groups, int hours, int subscriptions) {
    Instant monthStart = Instant.parse("2026-10-01T00:00:00Z");
    seedRuns(jdbc, groups, subscriptions, monthStart.toString(), "inv");
    long seedStart = System.nanoTime();
    // One segment per group per hour, as the meter writes them, in chunks of a day.
    for (int day = 0; day * 24 < hours; day++) {
      int fromHour = day * 24;
      int toHour = Math.min(hours, fromHour + 24);
      jdbc.update(
          "insert into usage_segments (segment_id, run_id, group_id, subscription_id, period,"
              + " start_at, billable, reason, milli_cpu_seconds, mib_seconds, recorded_at)"
              + " select md5(r.run_id::text || h)::uuid, r.run_id, r.group_id, r.subscription_id,"
              + " tstzrange(?::timestamptz + h * interval '1 hour', ?::timestamptz + (h + 1) *"
              + " interval '1 hour', '[)'), ?::timestamptz + h * interval '1 hour', true, 'HELD',"
              + " 3600 * r.milli_cpu, 3600 * r.memory_mib, ?::timestamptz + (h + 1) * interval '1"
              + " hour' from usage_runs r cross join generate_series(?, ?) h"
              + " where r.run_id in (select md5('inv' || i)::uuid from generate_series(1, ?) i)",
          monthStart.toString(),
          monthStart.toString(),
          monthStart.toString(),
          monthStart.toString(),
          fromHour,
          toHour - 1,
          groups);
    }
    jdbc.execute("analyze");
    Long rows =
        jdbc.queryForObject(
            "select count(*) from usage_segments where start_at >= ?::timestamptz",
            Long.class,
            monthStart.toString());
    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

    // The raw baseline: the bare aggregation over the month's rows.
    long start = System.nanoTime();
    jdbc.queryForList(
        "select s.subscription_id, r.resource_group, r.group_name, sum(s.milli_cpu_seconds),"
            + " sum(s.mib_seconds) from usage_segments s join usage_runs r on r.run_id = s.run_id"
            + " where s.start_at >= ?::timestamptz and s.start_at < ?::timestamptz group by 1, 2, 3",
        monthStart.toString(),
        monthStart.plus(Duration.ofDays(31)).toString());
    double rawSeconds = (System.nanoTime() - start) / 1e9;

    JdbcUsageQueries queries = new JdbcUsageQueries(jdbc, tx, "USD");
    Clock afterGrace = Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC);
    JdbcInvoiceStore store = new JdbcInvoiceStore(jdbc, tx, "USD");
    Invoicing invoicing =
        new Invoicing(
            store,
            () ->
                queries.prices().stream().collect(Collectors.toMap(Price::id, Function.identity())),
            afterGrace,
            Duration.ofDays(1),
            "USD",
            (subscription, month) -> java.util.List.of());
    // Months before October (the metering part's September) are closed first, as in production.
    long cpu = cpuNanos();
    start = System.nanoTime();
    int closed = invoicing.closeDueMonths();
    double closeSeconds = (System.nanoTime() - start) / 1e9;
    double closeCpu = (cpuNanos() - cpu) / 1e9;
    Long invoices = jdbc.queryForObject("select count(*) from invoices", Long.class);
    Long lines = jdbc.queryForObject("select count(*) from invoice_lines", Long.class);

    System.out.printf(
        "%nInvoicing a month of %,d groups: %,d hourly segments (seeded in %.1f s)%n",
        groups, rows, seedSeconds);
    System.out.printf(
        "  closing %d month(s): %,d final invoices, %,d lines in %.2f s wall, %.2f s CPU in the"
            + " service JVM%n",
        closed, invoices, lines, closeSeconds, closeCpu);
    System.out.printf("  raw GROUP BY baseline over the same rows: %.2f s%n", rawSeconds);
    System.out.printf("  ratio closing / raw GROUP BY: %.2fx%n", closeSeconds / rawSeconds);
  }
}
