package dev.berth.service.host;

import java.time.Duration;
import java.util.Map;

/**
 * Leases on hosts, one holder each, in the database and on its clock (Kubernetes Lease semantics):
 * a lease lapses {@code duration} after its last renewal, and its epoch grows every time it changes
 * hands, so a former holder's work is recognised and refused.
 */
public interface HostLeases {

  /**
   * Records that the replica is alive and renews the leases it holds with the epochs it acquired.
   *
   * @return the leases still held (host id to epoch); one taken over meanwhile is missing
   */
  Map<String, Long> renew(String replica, Duration duration, Map<String, Long> held);

  /**
   * Takes up to {@code max} hosts whose lease is free or lapsed, or still names this replica (it
   * restarted; the epoch grows all the same).
   *
   * @param held the hosts this replica holds already (never taken again)
   * @return the hosts taken, with their new epochs
   */
  Map<String, Long> acquire(String replica, Duration duration, int max, java.util.Set<String> held);

  /** Replicas that renewed within {@code duration}, this one included. */
  int liveReplicas(Duration duration);

  /** Registered hosts. */
  int hostCount();

  /** Gives up the replica's leases of {@code hosts} (it holds more than its share). */
  void release(String replica, java.util.Set<String> hosts);

  /** Gives up every lease of the replica (a clean shutdown, after its work on them stopped). */
  void releaseAll(String replica);

  /**
   * Inside a transaction: whether the replica holds the host's lease with {@code epoch} now; the
   * lease cannot change hands before the transaction ends.
   */
  boolean holds(String hostId, String replica, long epoch);
}
