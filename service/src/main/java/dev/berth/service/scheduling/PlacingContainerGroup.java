package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.UUID;

/** Reserves room for a group on the best host that still has it. */
public final class PlacingContainerGroup {

  private final PlacementStore store;
  private final Scheduler scheduler;

  public PlacingContainerGroup(PlacementStore store, Scheduler scheduler) {
    this.store = store;
    this.scheduler = scheduler;
  }

  /**
   * Places the group within the caller's transaction on the best host with room; {@code
   * preferredHostId} (where its containers last lived) first when it has room.
   *
   * @return the chosen host
   * @throws InsufficientCapacityException when no host has room
   */
  public String place(UUID groupId, Resources demand, String preferredHostId) {
    List<HostCapacity> hosts = store.capacitiesExcluding(groupId);
    for (HostCapacity candidate : scheduler.rank(demand, hosts, preferredHostId)) {
      if (store.tryReserve(groupId, candidate.hostId(), demand)) {
        return candidate.hostId();
      }
    }
    throw scheduler.noFit(demand, hosts);
  }
}
