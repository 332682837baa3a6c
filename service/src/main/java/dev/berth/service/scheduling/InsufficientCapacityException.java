package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.List;
import java.util.stream.Collectors;

/**
 * No schedulable host (of the group's zone, when it asks for one) has room for a group now. Says
 * what was asked, what would fit and, for a group with a zone, which zones have hosts.
 *
 * @param mostFreeHost the free room of the roomiest single host (a group of that size fits now)
 * @param maxFreeEach the most free CPU on any host and the most free memory on any host
 */
public class InsufficientCapacityException extends RuntimeException {

  private final Resources requested;
  private final Resources mostFreeHost;
  private final Resources maxFreeEach;
  private final int schedulableHosts;
  private final String zone;
  private final List<String> zonesWithHosts;

  /** No host of any zone has room (the group asks for none). */
  public InsufficientCapacityException(
      Resources requested, Resources mostFreeHost, Resources maxFreeEach, int schedulableHosts) {
    this(requested, mostFreeHost, maxFreeEach, schedulableHosts, null, List.of());
  }

  /**
   * No host of {@code zone} (null: of any zone) has room.
   *
   * @param zonesWithHosts the zones known hosts are in, named in the message when a zone was asked
   */
  public InsufficientCapacityException(
      Resources requested,
      Resources mostFreeHost,
      Resources maxFreeEach,
      int schedulableHosts,
      String zone,
      List<String> zonesWithHosts) {
    this(
        requested,
        mostFreeHost,
        maxFreeEach,
        schedulableHosts,
        zone,
        zonesWithHosts,
        message(requested, mostFreeHost, maxFreeEach, schedulableHosts, zone, zonesWithHosts));
  }

  public InsufficientCapacityException(
      Resources requested,
      Resources mostFreeHost,
      Resources maxFreeEach,
      int schedulableHosts,
      String zone,
      List<String> zonesWithHosts,
      String message) {
    super(message);
    this.requested = requested;
    this.mostFreeHost = mostFreeHost;
    this.maxFreeEach = maxFreeEach;
    this.schedulableHosts = schedulableHosts;
    this.zone = zone;
    this.zonesWithHosts = List.copyOf(zonesWithHosts);
  }

  private static String message(
      Resources requested,
      Resources mostFree,
      Resources maxEach,
      int hosts,
      String zone,
      List<String> zones) {
    String where = zone == null ? "" : " in zone '" + zone + "'";
    String zonesNote = zone == null ? "" : " " + zonesSentence(zones);
    if (hosts == 0) {
      return "No host"
          + where
          + " can take the group now: no host"
          + where
          + " is schedulable (all are cordoned or unreachable). Requested "
          + requested.cpu()
          + " vCPU and "
          + requested.memoryInGb()
          + " GB."
          + zonesNote;
    }
    return "No host"
        + where
        + " has room for the group: requested "
        + requested.cpu()
        + " vCPU and "
        + requested.memoryInGb()
        + " GB; the roomiest host"
        + (zone == null ? "" : " there")
        + " has "
        + mostFree.cpu()
        + " vCPU and "
        + mostFree.memoryInGb()
        + " GB free (most free on any host"
        + (zone == null ? "" : " there")
        + ": "
        + maxEach.cpu()
        + " vCPU, "
        + maxEach.memoryInGb()
        + " GB)."
        + zonesNote;
  }

  /** "Zones with hosts: '1', '2'." or, when no host has a zone, says so. */
  static String zonesSentence(List<String> zones) {
    if (zones.isEmpty()) {
      return "No host has a zone: leave zones out of the request.";
    }
    return "Zones with hosts: "
        + zones.stream().map(z -> "'" + z + "'").collect(Collectors.joining(", "))
        + ".";
  }

  public Resources requested() {
    return requested;
  }

  public Resources mostFreeHost() {
    return mostFreeHost;
  }

  public Resources maxFreeEach() {
    return maxFreeEach;
  }

  public int schedulableHosts() {
    return schedulableHosts;
  }

  /** The zone the group asked for, or null. */
  public String zone() {
    return zone;
  }

  /** The zones known hosts are in, in order (empty when no host has a zone). */
  public List<String> zonesWithHosts() {
    return zonesWithHosts;
  }
}
