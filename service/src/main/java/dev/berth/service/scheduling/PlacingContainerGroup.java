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
   * Places the group within the caller's transaction.
   *
   * @param requiredHostId when not null, only this host is considered (a group whose containers
   *     live on a host stays there)
   * @return the chosen host
   * @throws InsufficientCapacityException when no host has room
   */
  public String place(UUID groupId, Resources demand, String requiredHostId) {
    List<HostCapacity> hosts = store.capacitiesExcluding(groupId);
    List<HostCapacity> considered =
        requiredHostId == null
            ? hosts
            : hosts.stream().filter(h -> h.hostId().equals(requiredHostId)).toList();
    for (HostCapacity candidate : scheduler.rank(demand, considered, requiredHostId)) {
      if (store.tryReserve(groupId, candidate.hostId(), demand)) {
        return candidate.hostId();
      }
    }
    throw scheduler.noFit(demand, considered);
  }
}
