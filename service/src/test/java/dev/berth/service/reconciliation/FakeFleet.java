package dev.berth.service.reconciliation;

import dev.berth.service.host.Fleet;
import dev.berth.service.host.HostState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Hosts' states and this replica's ownership, set by hand in scenarios. */
final class FakeFleet implements Fleet {

  final Map<String, HostState> states = new HashMap<>();
  final Set<String> notOwned = new HashSet<>();
  final List<String> wakeups = new ArrayList<>();

  /** Hosts whose lease the database says another replica took (the local clock has not seen it). */
  final Set<String> fenced = new HashSet<>();

  @Override
  public synchronized HostState stateOf(String hostId) {
    return states.getOrDefault(hostId, HostState.READY);
  }

  @Override
  public synchronized boolean owns(String hostId) {
    return !notOwned.contains(hostId);
  }

  @Override
  public synchronized void assertOwned(String hostId) {
    if (!owns(hostId) || fenced.contains(hostId)) {
      throw new NotOwner(hostId);
    }
  }

  @Override
  public synchronized boolean lockIfLost(String hostId) {
    return stateOf(hostId) == HostState.LOST;
  }

  @Override
  public synchronized void wakeOwner(String hostId, UUID groupId) {
    wakeups.add(hostId + " " + groupId);
  }

  synchronized boolean schedulable(String hostId) {
    return stateOf(hostId) == HostState.READY;
  }
}
