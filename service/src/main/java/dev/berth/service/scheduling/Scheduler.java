package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses hosts for a group, Nomad-style: first feasibility (schedulable, enough free CPU and
 * memory), then ranking. Ranking bin-packs: the host left fullest by the placement comes first, so
 * large groups still find an empty host later. Pure; the store reserves the chosen host atomically.
 */
public final class Scheduler {

  /** Feasible hosts for {@code demand}, best first; a preferred host, if feasible, leads. */
  public List<HostCapacity> rank(
      Resources demand, List<HostCapacity> hosts, String preferredHostId) {
    Comparator<HostCapacity> packed = Comparator.comparingDouble(h -> -utilisationAfter(h, demand));
    Comparator<HostCapacity> order =
        Comparator.<HostCapacity, Boolean>comparing(h -> !h.hostId().equals(preferredHostId))
            .thenComparing(packed)
            .thenComparing(HostCapacity::hostId);
    return hosts.stream()
        .filter(HostCapacity::schedulable)
        .filter(h -> demand.fitsIn(h.free()))
        .sorted(order)
        .toList();
  }

  /** Why nothing fits: the most room any single schedulable host has now, and the largest host. */
  public InsufficientCapacityException noFit(Resources demand, List<HostCapacity> hosts) {
    List<HostCapacity> schedulable = hosts.stream().filter(HostCapacity::schedulable).toList();
    Resources mostFree =
        schedulable.stream()
            .map(HostCapacity::free)
            .max(
                Comparator.comparingLong(Resources::milliCpu)
                    .thenComparingLong(Resources::memoryMiB))
            .orElse(Resources.NONE);
    long maxFreeCpu = schedulable.stream().mapToLong(h -> h.free().milliCpu()).max().orElse(0);
    long maxFreeMemory = schedulable.stream().mapToLong(h -> h.free().memoryMiB()).max().orElse(0);
    return new InsufficientCapacityException(
        demand, mostFree, new Resources(maxFreeCpu, maxFreeMemory), schedulable.size());
  }

  private static double utilisationAfter(HostCapacity host, Resources demand) {
    Resources after = host.reserved().plus(demand);
    double cpu =
        host.allocatable().milliCpu() == 0
            ? 1
            : (double) after.milliCpu() / host.allocatable().milliCpu();
    double memory =
        host.allocatable().memoryMiB() == 0
            ? 1
            : (double) after.memoryMiB() / host.allocatable().memoryMiB();
    return Math.max(cpu, memory);
  }
}
