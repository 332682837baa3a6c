package dev.berth.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.Witness;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * kill -9 of PostgreSQL while the meter writes: after PostgreSQL recovers and the meter goes on,
 * every run's segments still tile its time exactly, with nothing lost and nothing twice.
 */
class PostgresKilledIT {

  private static final int RUNS = 40;
  private static final int SECONDS = 60;
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path data;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @Test
  void theLedgerSurvivesAKilledDatabaseWithoutLosingOrDoublingASecond() throws Exception {
    int port = freePort();
    EmbeddedPostgres first = start(port);
    // A data source that opens a new connection each time, so it reconnects after the restart.
    DataSource ds = first.getDatabase("postgres", "postgres", Map.of());
    Flyway.configure().dataSource(ds).load().migrate();
    JdbcTemplate jdbc = new JdbcTemplate(ds);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
    JdbcUsageLedger ledger = new JdbcUsageLedger(jdbc, tx);
    for (int i = 0; i < RUNS; i++) {
      UUID group = UUID.randomUUID();
      ledger.record(
          new RunObservation(
              group,
              "s",
              "rg",
              "g" + i,
              1,
              "local",
              250,
              256,
              T0.plusMillis(300),
              null,
              (EndReason) null,
              T0));
    }

    AtomicInteger second = new AtomicInteger(1);
    AtomicInteger failedTicks = new AtomicInteger();
    dev.berth.billing.SettableClock clock = new dev.berth.billing.SettableClock(T0);
    MeteringUsage metering =
        new MeteringUsage(
            ledger,
            run -> new Witness(clock.instant(), null, null),
            new Meter(Duration.ofSeconds(1)),
            clock,
            7); // small batches: a kill lands between and inside batches
    Thread meter =
        new Thread(
            () -> {
              while (second.get() <= SECONDS) {
                try {
                  clock.set(T0.plusSeconds(second.get()).plusMillis(500));
                  metering.tick();
                  second.incrementAndGet();
                } catch (RuntimeException databaseDown) {
                  failedTicks.incrementAndGet(); // the same second is metered again
                }
              }
            });
    meter.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> second.get() > 10);
    String pid = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
    new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
    await("ticks to fail while the database is down")
        .atMost(Duration.ofSeconds(30))
        .until(() -> failedTicks.get() > 0);
    // Releases this JVM's lock on the data directory (stopping a dead server does nothing more).
    try {
      first.close();
    } catch (IOException | RuntimeException alreadyDead) {
      // expected: there is no server left to stop
    }
    // Its backends exit once they notice; until then a new postmaster refuses the data directory.
    EmbeddedPostgres[] second_ = new EmbeddedPostgres[1];
    await("PostgreSQL to start again on the same data")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              second_[0] = start(port);
              return true;
            });
    try {
      meter.join(Duration.ofMinutes(2).toMillis());
      assertThat(meter.isAlive()).isFalse();
      assertThat(failedTicks.get()).isPositive();

      List<Map<String, Object>> runs =
          jdbc.queryForList(
              "select r.run_id, extract(epoch from r.billed_through - r.start_second)::bigint span,"
                  + " coalesce(sum(extract(epoch from upper(s.period) - lower(s.period))), 0)::bigint"
                  + " metered, count(s.*) segments, count(distinct lower(s.period)) starts"
                  + " from usage_runs r left join usage_segments s on s.run_id = r.run_id"
                  + " group by r.run_id, r.billed_through, r.start_second");
      assertThat(runs).hasSize(RUNS);
      for (Map<String, Object> run : runs) {
        // Every second from the start to the end of the last tick, each in exactly one segment.
        assertThat(((Number) run.get("span")).longValue()).isEqualTo(SECONDS);
        assertThat(((Number) run.get("metered")).longValue()).isEqualTo(SECONDS);
        assertThat(((Number) run.get("segments")).longValue()).isEqualTo(SECONDS);
        assertThat(((Number) run.get("starts")).longValue()).isEqualTo(SECONDS);
      }
    } finally {
      second_[0].close();
    }
  }
}
