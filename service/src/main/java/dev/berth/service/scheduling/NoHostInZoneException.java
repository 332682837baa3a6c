package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.List;

/**
 * The group asks for a zone no known host is in (as opposed to a zone whose hosts are full, which
 * is a plain {@link InsufficientCapacityException}). Says which zones have hosts.
 */
public class NoHostInZoneException extends InsufficientCapacityException {

  public NoHostInZoneException(Resources requested, String zone, List<String> zonesWithHosts) {
    super(
        requested,
        Resources.NONE,
        Resources.NONE,
        0,
        zone,
        zonesWithHosts,
        "No host is in zone '"
            + zone
            + "'. "
            + InsufficientCapacityException.zonesSentence(zonesWithHosts));
  }
}
