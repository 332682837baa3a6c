package dev.berth.service.host;

import java.util.UUID;

/**
 * What the reconciler must know and check about a group's host before it acts: the host's state,
 * and whether this replica owns it. Only the owner of a host runs its groups, and it proves its
 * ownership (the lease epoch it acquired) in every transaction that saves what it did there.
 */
public interface Fleet {

  /** The host's state now, or null when no such host is registered. */
  HostState stateOf(String hostId);

  /** Whether this replica holds the host's lease now (by its own clock, within the lease). */
  boolean owns(String hostId);

  /**
   * Inside a transaction: fails with {@link NotOwner} unless this replica still holds the host's
   * lease with the epoch it acquired, and keeps the lease from changing hands until the transaction
   * ends (fencing: a replica paused past its lease can never commit what it did).
   */
  void assertOwned(String hostId);

  /**
   * Inside a transaction: locks the host's row and says whether it is still lost. A host that
   * answered again and was swept meanwhile keeps its groups.
   */
  boolean lockIfLost(String hostId);

  /** Asks whichever replica owns the host to reconcile the group now. */
  void wakeOwner(String hostId, UUID groupId);

  /** The lease on a host is not (or no longer) this replica's: nothing it did there may commit. */
  final class NotOwner extends RuntimeException {
    public NotOwner(String hostId) {
      super("this replica does not hold the lease of host " + hostId);
    }
  }
}
