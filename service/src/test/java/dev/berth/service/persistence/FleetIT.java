package dev.berth.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.HostDescription;
import dev.berth.service.host.HostDefinition;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fleet's rows on real PostgreSQL: leases shared by replicas with fencing epochs on the
 * database's clock, and host health as pings record it.
 */
class FleetIT {

  private static final Duration LEASE = Duration.ofSeconds(1);
  private static EmbeddedPostgres postgres;
  private static JdbcTemplate jdbc;
  private static JdbcHostRegistry registry;
  private static JdbcHostLeases leases;

  /** Each replica's monotonic clock, advanced by hand (the database's runs on its own). */
  private final AtomicLong nanosA = new AtomicLong();

  private final AtomicLong nanosB = new AtomicLong();
  private final List<String> acquiredByB = new ArrayList<>();

  @BeforeAll
  static void database() {
    try {
      postgres = EmbeddedPostgres.builder().start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Flyway.configure()
        .dataSource(postgres.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    registry =
        new JdbcHostRegistry(
            jdbc,
            new TransactionTemplate(
                new DataSourceTransactionManager(postgres.getPostgresDatabase())));
    leases = new JdbcHostLeases(jdbc);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void fourHosts() {
    jdbc.update("delete from hosts");
    jdbc.update("delete from replicas");
    for (String id : List.of("h1", "h2", "h3", "h4")) {
      registry.register(definition(id), new HostDescription(2, 4L << 30, "20.10"));
    }
  }

  private static HostDefinition definition(String id) {
    return new HostDefinition(
        id,
        "unix:///run/" + id + ".sock",
        null,
        "1",
        Map.of("disk", "ssd"),
        1.0,
        0.5,
        List.of("127.0.0.1"),
        Duration.ofSeconds(3),
        Duration.ofSeconds(30));
  }

  private HostOwnership replica(String name, AtomicLong nanos, List<String> acquired) {
    return new HostOwnership(
        name, leases, LEASE, LEASE.multipliedBy(2).dividedBy(3), nanos::get, acquired::add);
  }

  @Test
  void aReplicaThatStopsRenewingLosesItsHostsToAnotherWithinTheLeaseAndIsFencedOut() {
    HostOwnership a = replica("a", nanosA, new ArrayList<>());
    HostOwnership b = replica("b", nanosB, acquiredByB);
    a.renew();
    assertThat(a.owned()).containsExactly("h1", "h2", "h3", "h4");
    long epochOfA = a.epoch("h1").orElseThrow();
    b.renew();
    assertThat(b.owned()).isEmpty();
    assertThat(leases.holds("h1", "a", epochOfA)).isTrue();

    // a pauses (a long GC, a lost database): by its own clock it stops acting first...
    nanosA.addAndGet(LEASE.toNanos());
    assertThat(a.owned()).isEmpty();
    // ...and once the lease lapsed by the database's clock, b takes every host.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              b.renew();
              return b.owned().size() == 4;
            });
    assertThat(acquiredByB).containsExactlyInAnyOrder("h1", "h2", "h3", "h4");
    assertThat(b.epoch("h1").orElseThrow()).isGreaterThan(epochOfA);
    // Whatever a still tries to commit is refused: its epoch is not the lease's any more.
    assertThat(leases.holds("h1", "a", epochOfA)).isFalse();
    // a renews again: nothing of its old leases comes back to it.
    nanosA.addAndGet(1);
    a.renew();
    assertThat(a.owned()).isEmpty();
    assertThat(registry.find("h1").orElseThrow().owner()).isEqualTo("b");
  }

  @Test
  void aReplicaRestartedUnderItsNameTakesItsLeasesBackAtOnceWithANewEpoch() {
    HostOwnership before = replica("a", nanosA, new ArrayList<>());
    before.renew();
    long epoch = before.epoch("h2").orElseThrow();

    HostOwnership after = replica("a", new AtomicLong(), new ArrayList<>());
    after.renew();

    assertThat(after.owned()).containsExactly("h1", "h2", "h3", "h4");
    assertThat(after.epoch("h2").orElseThrow()).isGreaterThan(epoch);
    assertThat(leases.holds("h2", "a", epoch)).isFalse();
  }

  @Test
  void aReplicaThatJoinsGetsItsShareHandedOverAndRenewingKeepsTheEpoch() {
    HostOwnership a = replica("a", nanosA, new ArrayList<>());
    HostOwnership b = replica("b", nanosB, acquiredByB);
    a.renew();
    long epoch = a.epoch("h1").orElseThrow();
    b.renew();
    assertThat(b.owned()).as("nothing is free yet").isEmpty();

    a.renew();
    assertThat(a.owned()).as("a keeps its fair share").containsExactly("h1", "h2");
    assertThat(a.epoch("h1").orElseThrow()).as("a renewal keeps the epoch").isEqualTo(epoch);
    b.renew();
    assertThat(b.owned()).containsExactly("h3", "h4");
    assertThat(acquiredByB).containsExactlyInAnyOrder("h3", "h4");

    for (String id : List.of("h5", "h6", "h7", "h8")) {
      registry.register(definition(id), new HostDescription(2, 4L << 30, "20.10"));
    }
    a.renew();
    b.renew();
    a.renew();
    assertThat(a.owned()).hasSize(4).doesNotContainAnyElementsOf(b.owned());
    assertThat(b.owned()).hasSize(4);
  }

  @Test
  void aHostSilentPastLostAfterIsLostAndRecoversOnlyOnceItAnswers() {
    assertThat(registry.find("h1").orElseThrow().state()).isEqualTo(HostState.READY);
    registry.silent("h1", "engine unreachable", "OPEN");
    var silent = registry.find("h1").orElseThrow();
    assertThat(silent.state()).isEqualTo(HostState.SILENT);
    assertThat(silent.health().silentSince()).isEqualTo(silent.health().lastAnswerAt());
    assertThat(registry.declareLostIfSilentFor("h1", Duration.ofHours(1))).isFalse();
    assertThat(registry.declareLostIfSilentFor("h1", Duration.ZERO)).isTrue();
    assertThat(registry.declareLostIfSilentFor("h1", Duration.ZERO)).isFalse();
    assertThat(registry.find("h1").orElseThrow().state()).isEqualTo(HostState.LOST);

    registry.recovered("h1");
    assertThat(registry.find("h1").orElseThrow().state())
        .as("still silent: it cannot have been swept")
        .isEqualTo(HostState.LOST);
    registry.answered("h1", new HostDescription(4, 8L << 30, "20.10"), "CLOSED");
    var answering = registry.find("h1").orElseThrow();
    assertThat(answering.state()).isEqualTo(HostState.LOST);
    assertThat(answering.health().answeredAgainAt()).isNotNull();
    assertThat(answering.allocatable().milliCpu()).isEqualTo(4000);
    assertThat(answering.allocatable().memoryMiB()).isEqualTo(4096);
    registry.recovered("h1");
    assertThat(registry.find("h1").orElseThrow().state()).isEqualTo(HostState.READY);
  }

  @Test
  void aPingAnsweredClearsSilenceAndKeepsWhatTheLastDescriptionSaid() {
    registry.answered("h3", new HostDescription(4, 8L << 30, "24.0"), "CLOSED");
    registry.silent("h3", "engine unreachable", "OPEN");
    registry.answered("h3", null, "CLOSED");

    var host = registry.find("h3").orElseThrow();
    assertThat(host.state()).isEqualTo(HostState.READY);
    assertThat(host.health().silentSince()).isNull();
    assertThat(host.health().breakerState()).isEqualTo("CLOSED");
    assertThat(host.engineVersion()).isEqualTo("24.0");
    assertThat(host.allocatable().milliCpu()).isEqualTo(4000);
    assertThat(host.allocatable().memoryMiB()).isEqualTo(4096);
  }

  @Test
  void aRegisteredHostKeepsWhatItWasRegisteredWith() {
    var host = registry.find("h2").orElseThrow();
    assertThat(host.definition()).isEqualTo(definition("h2"));
    assertThat(host.allocatable().milliCpu()).isEqualTo(2000);
    assertThat(host.allocatable().memoryMiB()).isEqualTo(2048);
    assertThat(registry.register(definition("h2"), new HostDescription(2, 4L << 30, "x")))
        .as("an update, not a new host")
        .isFalse();
    registry.setAdminState("h2", HostState.DRAINING, java.time.Instant.now());
    assertThat(registry.find("h2").orElseThrow().state()).isEqualTo(HostState.DRAINING);
    assertThat(registry.find("h2").orElseThrow().drain()).isNotNull();
    registry.drainFinished("h2");
    assertThat(registry.find("h2").orElseThrow().state()).isEqualTo(HostState.CORDONED);
    assertThat(registry.removeIfEmpty("h2")).isEmpty();
    assertThat(registry.find("h2")).isEmpty();
  }
}
