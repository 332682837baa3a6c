package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.UUID;

/**
 * Where reserved capacity is kept. Reservations are rows, one per placed group; a host's reserved
 * amount is their sum, so it can never drift from the groups that hold it.
 */
public interface PlacementStore {

  /**
   * Every known host with its current reservations, not counting {@code groupId}'s own (room a
   * group being replaced may reuse).
   */
  List<HostCapacity> capacitiesExcluding(UUID groupId);

  /**
   * Reserves {@code demand} on {@code hostId} for {@code groupId} (replacing the group's earlier
   * reservation) if, counted under a lock on the host, it still fits. Must run in the caller's
   * transaction.
   *
   * @return false when a concurrent placement took the room first
   */
  boolean tryReserve(UUID groupId, String hostId, Resources demand);

  /** Frees the group's reservation, if it has one. */
  void release(UUID groupId);
}
