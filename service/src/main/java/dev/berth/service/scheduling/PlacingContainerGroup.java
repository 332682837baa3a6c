package dev.berth.service.scheduling;

import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.Optional;
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
   * @return the chosen host, and the address the group's ports are published on
   * @throws InsufficientCapacityException when no host has room
   */
  public Placement place(UUID groupId, GroupSpec spec, String preferredHostId) {
    Resources demand = spec.requests();
    List<HostCapacity> hosts = store.capacitiesExcluding(groupId);
    for (HostCapacity candidate : scheduler.rank(demand, hosts, preferredHostId)) {
      Optional<Placement> placed =
          store.tryReserve(groupId, candidate.hostId(), demand, spec.ports());
      if (placed.isPresent()) {
        return placed.get();
      }
    }
    InsufficientCapacityException noRoom = scheduler.noFit(demand, hosts);
    boolean roomSomewhere =
        hosts.stream().anyMatch(h -> h.schedulable() && demand.fitsIn(h.free()));
    if (roomSomewhere && !spec.ports().isEmpty()) {
      throw new InsufficientCapacityException(
          demand,
          noRoom.mostFreeHost(),
          noRoom.maxFreeEach(),
          1,
          "Every host with room for the group already publishes one of its ports "
              + spec.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList()
              + " on each of its addresses; give the host more publish addresses or choose other ports.");
    }
    throw noRoom;
  }
}
