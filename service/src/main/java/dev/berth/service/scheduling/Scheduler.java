package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;
import java.util.Arrays;
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
   * @param zone the zone the group must be placed in, or null for any host
   * @param preferredHostId where the group's containers last lived, or null
   */
  public List<HostCapacity> rank(
      Resources demand, String zone, List<HostCapacity> hosts, String preferredHostId) {
    // Each host's score is computed once, here, not in every comparison of the sort: ranking runs
    // on every placement over the whole fleet.
    Candidate[] feasible = new Candidate[hosts.size()];
    int count = 0;
    HostCapacity preferred = null;
    for (HostCapacity host : hosts) {
      if (!host.schedulable() || !host.inZone(zone) || !host.fits(demand)) {
        continue;
      }
      if (host.hostId().equals(preferredHostId)) {
        preferred = host;
      } else {
        feasible[count++] = new Candidate(host, sortKey(host.utilisationAfter(demand)));
      }
    }
    Arrays.sort(feasible, 0, count);
    int first = preferred == null ? 0 : 1;
    HostCapacity[] ranked = new HostCapacity[count + first];
    if (preferred != null) {
      ranked[0] = preferred;
    }
    for (int i = 0; i < count; i++) {
      ranked[first + i] = feasible[i].host();
    }
    return Arrays.asList(ranked);
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

  /** A feasible host with its score; equal scores go in host id order, so ranking is stable. */
  private record Candidate(HostCapacity host, double sortKey) implements Comparable<Candidate> {

    @Override
    public int compareTo(Candidate other) {
      int byScore = Double.compare(sortKey, other.sortKey);
      return byScore != 0 ? byScore : host.hostId().compareTo(other.host.hostId());
    }
  }
}
