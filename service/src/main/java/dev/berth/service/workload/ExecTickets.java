package dev.berth.service.workload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Tickets for interactive exec sessions, as ACI hands them out: a WebSocket address and a password
 * the client sends as its first message. A ticket is good once, for a few minutes; it is kept in an
 * {@link ExecTicketStore} that every replica shares, and only digests of its token and password are
 * kept.
 */
public final class ExecTickets {

  /** What a ticket opens. */
  public record Session(
      String hostId, String containerId, List<String> argv, int rows, int columns) {

    public Session {
      argv = List.copyOf(argv);
    }
  }

  /** Handed to the client: where to connect and what to say first. */
  public record Ticket(String token, String password) {}

  private final ExecTicketStore store;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration lifetime;

  public ExecTickets(ExecTicketStore store, Clock clock, Duration lifetime) {
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Ticket issue(Session session) {
    Instant now = clock.instant();
    String token = secret(24);
    String password = secret(24);
    // Expired tickets go as new ones come: level-triggered, whichever replica issues.
    store.keep(
        new ExecTicketStore.KeptTicket(
            digest(token), digest(password), session, now.plus(lifetime)),
        now);
    return new Ticket(token, password);
  }

  /**
   * The session a ticket opens, once: empty for an unknown, used, expired or wrongly answered
   * ticket. The ticket is used up by any attempt, a wrong password included, so a password cannot
   * be guessed at.
   */
  public Optional<Session> redeem(String token, String password) {
    Optional<ExecTicketStore.KeptTicket> taken = store.take(digest(token));
    if (taken.isEmpty()
        || taken.get().expiresAt().isBefore(clock.instant())
        || !MessageDigest.isEqual(taken.get().passwordDigest(), digest(password))) {
      return Optional.empty();
    }
    return Optional.of(taken.get().session());
  }

  private String secret(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
