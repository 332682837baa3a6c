package dev.berth.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.reconciliation.MutableClock;
import dev.berth.service.workload.ExecTickets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Exec tickets on real PostgreSQL (embedded binaries, migrated by Flyway as in production), with
 * two {@link ExecTickets} standing for two replicas on one database.
 */
class ExecTicketsIT {

  private static EmbeddedPostgres postgres;
  private static JdbcTemplate jdbc;

  // PostgreSQL keeps microseconds: a clock on whole microseconds makes the lifetime's end exact.
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  private final ExecTickets replicaA =
      new ExecTickets(new JdbcExecTickets(jdbc), clock, Duration.ofMinutes(5));
  private final ExecTickets replicaB =
      new ExecTickets(new JdbcExecTickets(jdbc), clock, Duration.ofMinutes(5));

  private static final ExecTickets.Session SESSION =
      new ExecTickets.Session("h1", "c0ffee", List.of("sh", "-c", "echo 'a b'"), 40, 120);

  @BeforeAll
  static void database() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Flyway.configure()
        .dataSource(postgres.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void aTicketIssuedByOneReplicaIsRedeemedByAnotherOnce() {
    ExecTickets.Ticket ticket = replicaA.issue(SESSION);

    assertThat(replicaB.redeem(ticket.token(), ticket.password())).contains(SESSION);
    assertThat(replicaB.redeem(ticket.token(), ticket.password())).isEmpty();
    assertThat(replicaA.redeem(ticket.token(), ticket.password())).isEmpty();
  }

  @Test
  void onlyDigestsAreKept() throws Exception {
    ExecTickets.Ticket ticket = replicaA.issue(SESSION);

    byte[] tokenDigest = sha256(ticket.token());
    byte[] passwordDigest =
        jdbc.queryForObject(
            "select password_digest from exec_tickets where token_digest = ?",
            byte[].class,
            (Object) tokenDigest);
    assertThat(passwordDigest).isEqualTo(sha256(ticket.password()));
    String everything =
        jdbc.queryForObject("select string_agg(t::text, ',') from exec_tickets t", String.class);
    assertThat(everything).doesNotContain(ticket.token()).doesNotContain(ticket.password());
  }

  @Test
  void twoReplicasRedeemingAtOnceOpenTheSessionOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        ExecTickets.Ticket ticket = replicaA.issue(SESSION);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<ExecTickets.Session>>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          ExecTickets replica = i % 2 == 0 ? replicaA : replicaB;
          Callable<Optional<ExecTickets.Session>> redeem =
              () -> {
                go.await();
                return replica.redeem(ticket.token(), ticket.password());
              };
          attempts.add(pool.submit(redeem));
        }
        go.countDown();
        int opened = 0;
        for (Future<Optional<ExecTickets.Session>> attempt : attempts) {
          opened += attempt.get().isPresent() ? 1 : 0;
        }
        assertThat(opened).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWrongPasswordIsRefusedAndUsesTheTicketUp() {
    ExecTickets.Ticket ticket = replicaA.issue(SESSION);

    assertThat(replicaB.redeem(ticket.token(), "guess")).isEmpty();
    assertThat(replicaB.redeem(ticket.token(), ticket.password())).isEmpty();
  }

  @Test
  void anUnknownTokenIsRefused() {
    replicaA.issue(SESSION);
    assertThat(replicaB.redeem("no-such-token", "whatever")).isEmpty();
  }

  @Test
  void anExpiredTicketIsRefusedAndExpiredRowsGoWhenTheNextIsIssued() throws Exception {
    ExecTickets.Ticket stale = replicaA.issue(SESSION);
    ExecTickets.Ticket alsoStale = replicaA.issue(SESSION);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    assertThat(replicaB.redeem(stale.token(), stale.password())).isEmpty();
    assertThat(rowOf(alsoStale)).isTrue();
    replicaB.issue(SESSION);
    assertThat(rowOf(alsoStale)).isFalse();
  }

  @Test
  void aTicketIsGoodUntilItsLifetimeEnds() {
    ExecTickets.Ticket ticket = replicaA.issue(SESSION);
    clock.advance(Duration.ofMinutes(5));

    assertThat(replicaB.redeem(ticket.token(), ticket.password())).contains(SESSION);
  }

  private boolean rowOf(ExecTickets.Ticket ticket) throws Exception {
    return jdbc.queryForObject(
            "select count(*) from exec_tickets where token_digest = ?",
            Integer.class,
            (Object) sha256(ticket.token()))
        == 1;
  }

  private static byte[] sha256(String value) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
  }
}
