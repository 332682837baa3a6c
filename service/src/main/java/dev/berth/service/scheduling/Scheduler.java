package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Chooses hosts for a group, Nomad-style: first feasibility (schedulable, in the group's zone,
 * enough free CPU and memory), then ranking by the configured {@link Ranking}. Pure; the store
 * reserves the chosen host atomically.
 */
public final class Scheduler {

  private final Ranking ranking;

  public Scheduler(Ranking ranking) {
    this.ranking = Objects.requireNonNull(ranking, "ranking");
  }

  /**
   * Feasible hosts for {@code demand}, best first; a preferred host, if feasible, leads.
   *
   * <p>One pass over the fleet computes each feasible host's score once and keeps the best; the
   * rest are sorted only if a caller reads past the best (see {@link RankedHosts}). Ranking runs on
   * every placement over the whole fleet, and a placement nearly always takes the first host.
   *
   * @param zone the zone the group must be placed in, or null for any host
   * @param preferredHostId where the group's containers last lived, or null
   */
  public List<HostCapacity> rank(
      Resources demand, String zone, List<HostCapacity> hosts, String preferredHostId) {
    HostCapacity[] feasible = new HostCapacity[hosts.size()];
    double[] sortKeys = new double[hosts.size()];
    int count = 0;
    int best = -1;
    HostCapacity preferred = null;
    for (HostCapacity host : hosts) {
      if (!host.schedulable() || !host.inZone(zone) || !host.fits(demand)) {
        continue;
      }
      if (host.hostId().equals(preferredHostId)) {
        preferred = host;
        continue;
      }
      double key = sortKey(host.utilisationAfter(demand));
      feasible[count] = host;
      sortKeys[count] = key;
      if (best < 0 || RankedHosts.compare(key, host, sortKeys[best], feasible[best]) < 0) {
        best = count;
      }
      count++;
    }
    return new RankedHosts(preferred, feasible, sortKeys, count, best);
  }

  /**
   * Why nothing fits: no host is in the asked zone at all, or (among the hosts of the zone, or all
   * hosts without one) the most room any single schedulable host has now.
   */
  public InsufficientCapacityException noFit(
      Resources demand, String zone, List<HostCapacity> hosts) {
    List<String> zones = zonesWithHosts(hosts);
    if (zone != null && !zones.contains(zone)) {
      return new NoHostInZoneException(demand, zone, zones);
    }
    List<HostCapacity> schedulable =
        hosts.stream().filter(h -> h.schedulable() && h.inZone(zone)).toList();
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
        demand,
        mostFree,
        new Resources(maxFreeCpu, maxFreeMemory),
        schedulable.size(),
        zone,
        zones);
  }

  /** The distinct zones of the known hosts, in order. */
  static List<String> zonesWithHosts(List<HostCapacity> hosts) {
    return hosts.stream()
        .map(HostCapacity::zone)
        .filter(Objects::nonNull)
        .distinct()
        .sorted()
        .toList();
  }

  /** Smaller sorts first: the fullest host after placement for binpack, the emptiest for spread. */
  private double sortKey(double utilisationAfter) {
    return ranking == Ranking.BINPACK ? -utilisationAfter : utilisationAfter;
  }
}
