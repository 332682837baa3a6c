package dev.berth.service.host;

import java.util.UUID;

/** The {@link Fleet} as the database and this replica's leases say. */
public final class LeasedFleet implements Fleet {

  private final HostRegistry registry;
  private final HostOwnership ownership;
  private final HostLeases leases;
  private final GroupWakeups wakeups;

  public LeasedFleet(
      HostRegistry registry, HostOwnership ownership, HostLeases leases, GroupWakeups wakeups) {
    this.registry = registry;
    this.ownership = ownership;
    this.leases = leases;
    this.wakeups = wakeups;
  }

  @Override
  public HostState stateOf(String hostId) {
    return registry.find(hostId).map(RegisteredHost::state).orElse(null);
  }

  @Override
  public boolean owns(String hostId) {
    return ownership.owns(hostId);
  }

  @Override
  public void assertOwned(String hostId) {
    var epoch = ownership.epoch(hostId);
    if (epoch.isEmpty() || !leases.holds(hostId, ownership.replica(), epoch.getAsLong())) {
      throw new NotOwner(hostId);
    }
  }

  @Override
  public boolean lockIfLost(String hostId) {
    return registry.lockIfLost(hostId);
  }

  @Override
  public void wakeOwner(String hostId, UUID groupId) {
    wakeups.wake(hostId, groupId);
  }
}
