package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;

/**
 * No schedulable host has room for a group now. Says what was asked and what would fit.
 *
 * @param mostFreeHost the free room of the roomiest single host (a group of that size fits now)
 * @param maxFreeEach the most free CPU on any host and the most free memory on any host
 */
public class InsufficientCapacityException extends RuntimeException {

  private final Resources requested;
  private final Resources mostFreeHost;
  private final Resources maxFreeEach;
  private final int schedulableHosts;

  public InsufficientCapacityException(
      Resources requested, Resources mostFreeHost, Resources maxFreeEach, int schedulableHosts) {
    this(
        requested,
        mostFreeHost,
        maxFreeEach,
        schedulableHosts,
        message(requested, mostFreeHost, maxFreeEach, schedulableHosts));
  }

  public InsufficientCapacityException(
      Resources requested,
      Resources mostFreeHost,
      Resources maxFreeEach,
      int schedulableHosts,
      String message) {
    super(message);
    this.requested = requested;
    this.mostFreeHost = mostFreeHost;
    this.maxFreeEach = maxFreeEach;
    this.schedulableHosts = schedulableHosts;
  }

  private static String message(
      Resources requested, Resources mostFree, Resources maxEach, int hosts) {
    if (hosts == 0) {
      return "No host can take the group now: no host is schedulable (all are cordoned or unreachable). Requested "
          + requested.cpu()
          + " vCPU and "
          + requested.memoryInGb()
          + " GB.";
    }
    return "No host has room for the group: requested "
        + requested.cpu()
        + " vCPU and "
        + requested.memoryInGb()
        + " GB; the roomiest host has "
        + mostFree.cpu()
        + " vCPU and "
        + mostFree.memoryInGb()
        + " GB free (most free on any host: "
        + maxEach.cpu()
        + " vCPU, "
        + maxEach.memoryInGb()
        + " GB).";
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
}
