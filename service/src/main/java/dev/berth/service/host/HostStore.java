package dev.berth.service.host;

import dev.berth.service.containergroup.Resources;
import java.util.List;

/** Where hosts' capacity and reachability are recorded. */
public interface HostStore {

  /** Records what a host offers and that it answered now. */
  void registered(
      String hostId,
      String endpoint,
      Resources allocatable,
      String engineVersion,
      List<String> publishAddresses);

  /** Marks a host as not answering: the scheduler stops placing groups there. */
  void unreachable(String hostId, String reason);
}
