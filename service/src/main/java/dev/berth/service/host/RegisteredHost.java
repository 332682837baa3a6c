package dev.berth.service.host;

import dev.berth.service.containergroup.Resources;
import java.time.Instant;

/**
 * A host as the fleet knows it (a row of {@code hosts}).
 *
 * @param adminState what the operator asked for: READY, CORDONED or DRAINING
 * @param allocatable what groups may reserve in total, from the engine's last answer
 * @param owner the replica whose lease owns the host, or null
 */
public record RegisteredHost(
    HostDefinition definition,
    HostState adminState,
    Resources allocatable,
    String engineVersion,
    Health health,
    String owner,
    Instant registeredAt,
    Drain drain,
    boolean removing) {

  /**
   * What the owner's pings found.
   *
   * @param lastAnswerAt the engine's last answer, or null if it never answered
   * @param silentSince the last answer before it stopped answering; null while it answers
   * @param answeredAgainAt when it answered after being silent
   * @param lostAt when it was declared lost; null once its stale containers were killed
   * @param lastError why the last ping failed
   * @param breakerState the owner's circuit breaker as of its last ping
   */
  public record Health(
      Instant lastAnswerAt,
      Instant silentSince,
      Instant answeredAgainAt,
      Instant lostAt,
      String lastError,
      String breakerState) {}

  /** A drain in progress: since when, and until when groups are moved gracefully. */
  public record Drain(Instant startedAt, Instant deadline) {}

  public String id() {
    return definition.id();
  }

  /** The state the API shows: health first (Lost, Silent), then the operator's wish. */
  public HostState state() {
    if (health.lostAt() != null || removing) {
      return HostState.LOST;
    }
    if (health.silentSince() != null || health.lastAnswerAt() == null) {
      return HostState.SILENT;
    }
    return adminState;
  }
}
