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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tickets for interactive exec sessions, as ACI hands them out: a WebSocket address and a password
 * the client sends as its first message. A ticket is good once, for a few minutes, and only its
 * password's digest is kept.
 */
public final class ExecTickets {

  /** What a ticket opens. */
  public record Session(
      String hostId, String containerId, List<String> argv, int rows, int columns) {}

  /** Handed to the client: where to connect and what to say first. */
  public record Ticket(String token, String password) {}

  private record Pending(Session session, byte[] passwordDigest, Instant expires) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration lifetime;

  public ExecTickets(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Ticket issue(Session session) {
    Instant now = clock.instant();
    pending.values().removeIf(p -> p.expires().isBefore(now));
    String token = secret(24);
    String password = secret(24);
    pending.put(token, new Pending(session, digest(password), now.plus(lifetime)));
    return new Ticket(token, password);
  }

  /**
   * The session a ticket opens, once: empty for an unknown, used, expired or wrongly answered
   * ticket.
   */
  public Optional<Session> redeem(String token, String password) {
    Pending ticket = pending.remove(token);
    if (ticket == null
        || ticket.expires().isBefore(clock.instant())
        || !MessageDigest.isEqual(ticket.passwordDigest(), digest(password))) {
      return Optional.empty();
    }
    return Optional.of(ticket.session());
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
