package dev.berth.service.scheduling;

import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.Optional;
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
   * reservation) if, counted under a lock on the host, it still fits; with {@code ports}, also an
   * address of the host on which all of them are free. Must run in the caller's transaction.
   *
   * @return the placement, or empty when a concurrent placement took the room (or the ports) first
   */
  Optional<Placement> tryReserve(
      UUID groupId, String hostId, Resources demand, List<PublishedPort> ports);

  /** Whether the group holds a reservation. */
  boolean isHeld(UUID groupId);

  /** Frees the group's reservation, if it has one. */
  void release(UUID groupId);
}
