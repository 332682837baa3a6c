package dev.berth.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.CheckingRuns;
import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.billing.metering.RunIds;
import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.UsageLedger;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.Witness;
import dev.berth.billing.persistence.JdbcInvoiceStore;
import dev.berth.billing.persistence.JdbcUsageLedger;
import dev.berth.billing.persistence.JdbcUsageQueries;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.metering.RunConfirmations;
import dev.berth.service.metering.RunMetering;
import dev.berth.service.metering.RunWitnessing;
import dev.berth.service.persistence.JdbcHostAnswerRecords;
import dev.berth.service.reconciliation.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas of Berth's billing on one real PostgreSQL (embedded binaries, migrated by Flyway as
 * in production): each has its own ledger, meter, witnesses, confirmations and lock provider, and
 * nothing in memory is shared between them.
 */
class BillingReplicasIT {

  static EmbeddedPostgres postgres;
  static DataSource dataSource;
  static JdbcTemplate jdbc;

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T12:00:30Z"));

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).load().migrate();
    jdbc = new JdbcTemplate(dataSource);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  /**
   * A ledger that can hold a tick inside {@code dueRuns}, counts the ticks that got there, and can
   * show a tick only some runs (the database is shared with the other tests).
   */
  static final class HeldLedger implements UsageLedger {
    final UsageLedger delegate;
    final AtomicInteger dueRunsCalls = new AtomicInteger();
    volatile Runnable onDueRuns = () -> {};
    volatile Set<UUID> only;

    HeldLedger(UsageLedger delegate) {
      this.delegate = delegate;
    }

    @Override
    public void record(RunObservation observation) {
      delegate.record(observation);
    }

    @Override
    public void confirmed(Map<UUID, Instant> heldAt) {
      delegate.confirmed(heldAt);
    }

    @Override
    public void groupDeleted(UUID groupId, Instant at) {
      delegate.groupDeleted(groupId, at);
    }

    @Override
    public List<UsageRun> dueRuns(
        Instant boundary, Set<String> silentHosts, UUID afterRunId, int limit) {
      dueRunsCalls.incrementAndGet();
      List<UsageRun> due = delegate.dueRuns(boundary, silentHosts, afterRunId, limit);
      Set<UUID> shown = only;
      if (shown != null) {
        due = due.stream().filter(run -> shown.contains(run.runId())).toList();
      }
      onDueRuns.run();
      return due;
    }

    @Override
    public int apply(List<Meter.Advance> advances) {
      return delegate.apply(advances);
    }
  }

  /** One Berth process's billing, as BillingConfiguration wires it. */
  final class Replica {
    final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    final TransactionTemplate tx =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    final HeldLedger ledger = new HeldLedger(new JdbcUsageLedger(jdbc, tx));
    final RunConfirmations confirmations = new RunConfirmations(ledger);
    final RunMetering runMetering = new RunMetering(ledger, confirmations, false);
    final RunWitnessing witnesses = new RunWitnessing(new JdbcHostAnswerRecords(jdbc));
    final JdbcUsageQueries queries = new JdbcUsageQueries(jdbc, tx, "USD");
    final MeteringUsage metering =
        new MeteringUsage(ledger, witnesses, new Meter(Duration.ofHours(1)), clock, 1000);
    final BillingWork work =
        new BillingWork(
            metering,
            new CheckingRuns(new JdbcUsageLedger(jdbc, tx), run -> Optional.empty(), clock),
            new Invoicing(
                new JdbcInvoiceStore(jdbc, tx, "USD"),
                Map::of,
                clock,
                Duration.ofDays(1),
                "USD",
                (sub, month) -> List.of()),
            confirmations,
            new BerthProperties.Billing(
                "USD",
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                false,
                Duration.ofDays(1),
                Duration.ofSeconds(30)),
            SingletonJobsConfiguration.locks(jdbc, "replica-" + UUID.randomUUID()),
            java.time.Clock.systemUTC()); // the locks run on real (database) time

    UsageRun run(UUID groupId) {
      return queries.runsOfGroup(groupId).get(0);
    }
  }

  private static String host() {
    String id = "h-" + UUID.randomUUID();
    jdbc.update(
        "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
            + " last_seen_at) values (?, '', 4000, 8192, now())",
        id);
    return id;
  }

  private static RunObservation started(UUID group, String host, Instant at) {
    return new RunObservation(
        group, "sub-" + group, "rg", "web", 1, host, 1000, 1024, at, null, null, at);
  }

  record Segment(Instant start, Instant end, boolean billable, String reason) {}

  private static List<Segment> segments(UUID runId) {
    return jdbc.query(
        "select lower(period) s, upper(period) e, billable, reason from usage_segments"
            + " where run_id = ? order by start_at",
        (rs, n) ->
            new Segment(
                rs.getTimestamp("s").toInstant(),
                rs.getTimestamp("e").toInstant(),
                rs.getBoolean("billable"),
                rs.getString("reason")),
        runId);
  }

  @Test
  void aLockLeftByAKilledProcessIsLetGoWhenItsReplicaStartsAgainAndNotByAnother() {
    String r1 = "r1-" + UUID.randomUUID();
    var job =
        new net.javacrumbs.shedlock.core.LockConfiguration(
            Instant.now(),
            "berth-test-" + UUID.randomUUID(),
            Duration.ofMinutes(30),
            Duration.ZERO);
    // r1 takes the lock and dies in the middle of the job: the lock is never released.
    assertThat(SingletonJobsConfiguration.locks(jdbc, r1).lock(job)).isPresent();

    assertThat(SingletonJobsConfiguration.locks(jdbc, "r2-" + UUID.randomUUID()).lock(job))
        .as("another replica leaves it to lapse")
        .isEmpty();
    assertThat(SingletonJobsConfiguration.locks(jdbc, r1).lock(job))
        .as("r1 started again under its name")
        .isPresent();
  }

  @Test
  void onlyOneReplicaMetersAtATimeAndEachSegmentIsWrittenOnce() throws Exception {
    Replica a = new Replica();
    Replica b = new Replica();
    UUID group = UUID.randomUUID();
    a.ledger.record(started(group, host(), Instant.parse("2026-03-02T10:15:00Z")));
    a.ledger.confirmed(Map.of(RunIds.run(group, 1), clock.instant()));

    // A's tick is held inside its lock until B has tried to tick at the same moment.
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    a.ledger.onDueRuns =
        () -> {
          inside.countDown();
          await(release);
        };
    CompletableFuture<Boolean> aTicked = CompletableFuture.supplyAsync(a.work::meter);
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    boolean bTicked = b.work.meter();
    a.ledger.onDueRuns = () -> {};
    release.countDown();

    assertThat(aTicked.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bTicked).isFalse();
    assertThat(b.ledger.dueRunsCalls).hasValue(0);
    assertThat(segments(RunIds.run(group, 1)))
        .extracting(Segment::start, Segment::end)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Instant.parse("2026-03-02T10:15:00Z"), Instant.parse("2026-03-02T11:00:00Z")),
            org.assertj.core.groups.Tuple.tuple(
                Instant.parse("2026-03-02T11:00:00Z"), Instant.parse("2026-03-02T12:00:00Z")));

    // Once the lock is free (and past lockAtLeastFor) B meters; nothing is due, nothing is added.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(b.work::meter);
    assertThat(segments(RunIds.run(group, 1))).hasSize(2);
  }

  @Test
  void withoutTheLockTwoTicksAtOnceStillWriteEachSegmentOnce() throws Exception {
    Replica a = new Replica();
    Replica b = new Replica();
    UUID group = UUID.randomUUID();
    a.ledger.record(started(group, host(), Instant.parse("2026-03-02T10:15:00Z")));
    a.ledger.confirmed(Map.of(RunIds.run(group, 1), clock.instant()));

    // Both ticks read the same cursor before either writes: the ledger alone decides.
    a.ledger.only = Set.of(RunIds.run(group, 1));
    b.ledger.only = Set.of(RunIds.run(group, 1));
    CyclicBarrier bothRead = new CyclicBarrier(2);
    Runnable meet = () -> await(bothRead);
    a.ledger.onDueRuns = meet;
    b.ledger.onDueRuns = meet;
    CompletableFuture<Integer> aApplied = CompletableFuture.supplyAsync(a.metering::tick);
    CompletableFuture<Integer> bApplied = CompletableFuture.supplyAsync(b.metering::tick);

    // One advance wins the compare-and-set on the cursor; the other is dropped whole.
    assertThat(aApplied.get(10, TimeUnit.SECONDS) + bApplied.get(10, TimeUnit.SECONDS))
        .isEqualTo(1);
    assertThat(segments(RunIds.run(group, 1))).hasSize(2);
    assertThat(a.run(group).billedThrough()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
  }

  @Test
  void aConfirmationWrittenByOneReplicaIsSeenByTheMeterOfAnother() {
    Replica reconciling = new Replica();
    Replica metering = new Replica();
    String host = host();
    Instant startedAt = Instant.parse("2026-03-02T11:20:00.25Z");
    var container =
        new ContainerDefinition(
            "main",
            "berth/busybox:1",
            List.of("sleep", "3600"),
            List.of(),
            new Resources(500, 512),
            new Resources(500, 512));
    var group =
        new ContainerGroup(
            UUID.randomUUID(),
            new GroupKey("sub-b", "rg", "web"),
            "local",
            Map.of(),
            new GroupSpec(List.of(container), RestartPolicy.ALWAYS, "Linux"),
            1,
            DesiredState.RUNNING,
            "{}",
            startedAt,
            0);
    var running =
        new GroupStatus(
            group.id(),
            1,
            ProvisioningState.SUCCEEDED,
            GroupState.RUNNING,
            host,
            null,
            List.of(
                new ContainerStatus(
                    "main", "c1", ContainerState.running(startedAt), null, 0, List.of(), 0, null)),
            List.of(),
            startedAt,
            0,
            List.of());
    Instant askedAt = Instant.parse("2026-03-02T12:00:10.5Z");

    reconciling.runMetering.observed(group, running, askedAt, askedAt.plusMillis(20));
    assertThat(metering.run(group.id()).confirmedAt()).as("not written before a flush").isNull();
    assertThat(reconciling.confirmations.flush()).isEqualTo(1);

    UsageRun seen = metering.run(group.id());
    assertThat(seen.confirmedAt()).isEqualTo(askedAt);
    assertThat(metering.witnesses.now().witness(seen)).isEqualTo(new Witness(askedAt, null, null));
    metering.metering.tick();
    assertThat(segments(seen.runId()))
        .containsExactly(
            new Segment(
                Instant.parse("2026-03-02T11:20:00Z"),
                Instant.parse("2026-03-02T12:00:00Z"),
                true,
                "HELD"));

    // A confirmation only moves forward, and an ended run is not confirmed any more.
    reconciling.ledger.confirmed(Map.of(seen.runId(), askedAt.minusSeconds(60)));
    assertThat(metering.run(group.id()).confirmedAt()).isEqualTo(askedAt);
    reconciling.ledger.record(
        new RunObservation(
            group.id(),
            "sub-b",
            "rg",
            "web",
            1,
            host,
            500,
            512,
            startedAt,
            askedAt.plusSeconds(5),
            EndReason.COMPLETED,
            askedAt.plusSeconds(5)));
    reconciling.ledger.confirmed(Map.of(seen.runId(), askedAt.plusSeconds(30)));
    assertThat(metering.run(group.id()).confirmedAt()).isEqualTo(askedAt);
  }

  @Test
  void aHostSilentInTheHostsTableStopsBillingAtItsLastAnswerUntilItAnswersAgain() {
    Replica a = new Replica();
    String host = host();
    UUID group = UUID.randomUUID();
    UUID runId = RunIds.run(group, 1);
    a.ledger.record(started(group, host, t("10:30:00")));
    a.ledger.confirmed(Map.of(runId, t("11:20:00")));

    // The host's owner (another replica) records that the host's last answer was 11:15:12.5.
    jdbc.update(
        "update hosts set silent_since = ? where id = ?", Timestamp.from(t("11:15:12.5")), host);
    var witnesses = a.witnesses.now();
    assertThat(witnesses.silentHosts()).contains(host);
    assertThat(witnesses.witness(a.run(group)).hostUnreachableSince()).isEqualTo(t("11:15:12.5"));
    a.metering.tick();
    assertThat(segments(runId))
        .containsExactly(
            new Segment(t("10:30:00"), t("11:00:00"), true, "HELD"),
            new Segment(t("11:00:00"), t("11:15:12"), true, "HELD"));
    assertThat(a.run(group).faultSince()).isEqualTo(t("11:15:12"));

    // Still silent: nothing more, even with a later confirmation.
    a.ledger.confirmed(Map.of(runId, t("11:50:00")));
    a.metering.tick();
    assertThat(segments(runId)).hasSize(2);

    // It answers again at 11:35:00.7: the outage is written unbilled, and billing resumes there.
    jdbc.update(
        "update hosts set silent_since = null, answered_again_at = ? where id = ?",
        Timestamp.from(t("11:35:00.7")),
        host);
    assertThat(a.witnesses.now().silentHosts()).doesNotContain(host);
    a.metering.tick();
    assertThat(segments(runId))
        .endsWith(new Segment(t("11:15:12"), t("11:35:00"), false, "HOST_UNREACHABLE"));
    assertThat(a.run(group).faultSince()).isNull();
    assertThat(a.run(group).billedThrough()).isEqualTo(t("11:35:00"));

    a.ledger.confirmed(Map.of(runId, t("12:00:20")));
    a.metering.tick();
    assertThat(segments(runId))
        .hasSize(4)
        .endsWith(new Segment(t("11:35:00"), t("12:00:00"), true, "HELD"));
  }

  private static Instant t(String timeOfDay) {
    return Instant.parse("2026-03-02T" + timeOfDay + "Z");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
