package dev.berth.service.scheduling;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.stream.IntStream;

/**
 * The hosts that can take a group, best first, as {@link Scheduler#rank} orders them, sorted only
 * as far as someone reads. A placement nearly always takes the first host: its reservation fails
 * only when a concurrent placement took the room (or the ports) first. So the best host is found in
 * the scheduler's one pass over the fleet, and the rest are sorted on the first read past it.
 *
 * <p>Order: the preferred host (if it fits) first, then by sort key, smaller first, then by host
 * id; hosts equal in both keep their order in the fleet (as a stable sort would). Not thread-safe:
 * it belongs to the one placement that asked.
 */
final class RankedHosts extends AbstractList<HostCapacity> implements RandomAccess {

  private final HostCapacity preferred;
  private final HostCapacity[] feasible;
  private final double[] sortKeys;
  private final int count;
  private final int best;
  private HostCapacity[] sorted;

  /**
   * @param preferred the preferred host if it fits, or null
   * @param feasible the other hosts that fit, in fleet order, in the first {@code count} slots
   * @param sortKeys each feasible host's sort key, in the same slots
   * @param best the first slot of a host no other {@link #compare}s before, or -1 when count is 0
   */
  RankedHosts(
      HostCapacity preferred, HostCapacity[] feasible, double[] sortKeys, int count, int best) {
    this.preferred = preferred;
    this.feasible = feasible;
    this.sortKeys = sortKeys;
    this.count = count;
    this.best = best;
  }

  /** The order of two feasible hosts with their sort keys: by key, then by host id. */
  static int compare(double keyA, HostCapacity a, double keyB, HostCapacity b) {
    int byKey = Double.compare(keyA, keyB);
    return byKey != 0 ? byKey : a.hostId().compareTo(b.hostId());
  }

  @Override
  public HostCapacity get(int index) {
    Objects.checkIndex(index, size());
    int slot = index;
    if (preferred != null) {
      if (slot == 0) {
        return preferred;
      }
      slot--;
    }
    return slot == 0 ? feasible[best] : sorted()[slot];
  }

  @Override
  public int size() {
    return count + (preferred == null ? 0 : 1);
  }

  /** Every feasible host in order; the slow path, taken only once the best host was refused. */
  private HostCapacity[] sorted() {
    if (sorted == null) {
      // Stable, so hosts equal in key and id keep their fleet order, as the best-host pass does.
      sorted =
          IntStream.range(0, count)
              .boxed()
              .sorted((i, j) -> compare(sortKeys[i], feasible[i], sortKeys[j], feasible[j]))
              .map(i -> feasible[i])
              .toArray(HostCapacity[]::new);
    }
    return sorted;
  }
}
