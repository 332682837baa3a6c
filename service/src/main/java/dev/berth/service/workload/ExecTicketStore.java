package dev.berth.service.workload;

import java.time.Instant;
import java.util.Optional;

/**
 * Where exec tickets wait to be redeemed. Shared by every replica (PostgreSQL: {@code
 * JdbcExecTickets}), so a client's WebSocket may reach any replica, not only the one that issued
 * its ticket. It holds digests only: neither the token nor the password can be read back from it.
 */
public interface ExecTicketStore {

  /**
   * A ticket as kept.
   *
   * @param tokenDigest SHA-256 of the ticket's token, its key
   * @param passwordDigest SHA-256 of the ticket's password
   */
  record KeptTicket(
      byte[] tokenDigest, byte[] passwordDigest, ExecTickets.Session session, Instant expiresAt) {}

  /** Keeps a new ticket, and drops every ticket that expired before {@code now}. */
  void keep(KeptTicket ticket, Instant now);

  /**
   * Takes the ticket of {@code tokenDigest} out, atomically: of any number of takers, on any
   * replicas, at most one gets it. Empty when there is none (unknown, or already taken).
   */
  Optional<KeptTicket> take(byte[] tokenDigest);
}
