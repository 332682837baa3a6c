package dev.berth.service.scheduling;

import dev.berth.service.containergroup.GroupPlacement;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.Placement;
import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reserves room for a group on the best host that still has it. */
public final class PlacingContainerGroup implements GroupPlacement {

  private final PlacementStore store;
  private final Scheduler scheduler;

  public PlacingContainerGroup(PlacementStore store, Scheduler scheduler) {
    this.store = store;
    this.scheduler = scheduler;
  }

  /**
   * Places the group within the caller's transaction on the best host with room, in the group's
   * zone when it names one; {@code preferredHostId} (where its containers last lived) first when it
   * has room. All of a group's containers share the one host.
   *
   * @return the chosen host, and the address the group's ports are published on
   * @throws NoHostInZoneException when the group's zone has no host at all
   * @throws InsufficientCapacityException when no host (of the zone) has room
   */
  @Override
  public Placement place(UUID groupId, GroupSpec spec, String preferredHostId) {
    Resources demand = spec.requests();
    List<HostCapacity> hosts = store.capacitiesExcluding(groupId);
    List<HostCapacity> ranked = scheduler.rank(demand, spec.zone(), hosts, preferredHostId);
    for (HostCapacity candidate : ranked) {
      Optional<Placement> placed =
          store.tryReserve(groupId, candidate.hostId(), demand, spec.ports());
      if (placed.isPresent()) {
        return placed.get();
      }
    }
    InsufficientCapacityException noRoom = scheduler.noFit(demand, spec.zone(), hosts);
    if (!ranked.isEmpty() && !spec.ports().isEmpty()) {
      // Some host had room when read, yet every reservation failed: its ports, not its size.
      throw new InsufficientCapacityException(
          demand,
          noRoom.mostFreeHost(),
          noRoom.maxFreeEach(),
          ranked.size(),
          noRoom.zone(),
          noRoom.zonesWithHosts(),
          "Every host with room for the group already publishes one of its ports "
              + spec.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList()
              + " on each of its addresses; give the host more publish addresses or choose other ports.");
    }
    throw noRoom;
  }
}
