package dev.berth.service.host;

import dev.berth.service.containergroup.Resources;

/** Where hosts' capacity and reachability are recorded. */
public interface HostStore {

  /** Records what a host offers and that it answered now. */
  void registered(String hostId, String endpoint, Resources allocatable, String engineVersion);

  /** Marks a host as not answering: the scheduler stops placing groups there. */
  void unreachable(String hostId, String reason);
}
