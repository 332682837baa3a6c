package dev.berth.service.host;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Which hosts this replica owns. Each renewal renews the leases it holds and takes free or lapsed
 * ones up to its fair share of the fleet (hosts divided by live replicas), so a replica that dies
 * has its hosts taken by the others within the lease duration.
 *
 * <p>A lease counts as held only until the renewal deadline after the renewal that confirmed it,
 * measured from when that renewal started on this process's monotonic clock: shorter than the lease
 * itself, so this replica stops acting before any other may take over, however long a pause (GC, a
 * lost database) lasted. What it did is also fenced in the database by the epoch.
 */
public final class HostOwnership {

  private static final Logger log = Logger.getLogger(HostOwnership.class.getName());

  private record Held(long epoch, long validUntilNanos) {}

  private final String replica;
  private final HostLeases leases;
  private final Duration duration;
  private final long renewDeadlineNanos;
  private final LongSupplier nanoTime;
  private final Consumer<String> acquired;
  private volatile Map<String, Held> held = Map.of();

  /**
   * @param renewDeadline how long after a renewal began its leases count as held here (below the
   *     lease duration; Kubernetes uses 10 s of 15 s)
   * @param acquired told of every host this replica takes (its groups need a pass)
   */
  public HostOwnership(
      String replica,
      HostLeases leases,
      Duration duration,
      Duration renewDeadline,
      LongSupplier nanoTime,
      Consumer<String> acquired) {
    if (renewDeadline.compareTo(duration) >= 0) {
      throw new IllegalArgumentException("the renew deadline must be shorter than the lease");
    }
    this.replica = replica;
    this.leases = leases;
    this.duration = duration;
    this.renewDeadlineNanos = renewDeadline.toNanos();
    this.nanoTime = nanoTime;
    this.acquired = acquired;
  }

  public String replica() {
    return replica;
  }

  /** One renewal: keep what is held, take a fair share of what is free. */
  public synchronized void renew() {
    long startedAt = nanoTime.getAsLong();
    Map<String, Long> epochs = new HashMap<>();
    held.forEach((host, h) -> epochs.put(host, h.epoch()));
    Map<String, Long> kept = new HashMap<>(leases.renew(replica, duration, epochs));
    int replicas = Math.max(1, leases.liveReplicas(duration));
    int fairShare = (leases.hostCount() + replicas - 1) / replicas;
    if (kept.size() > fairShare) {
      handOver(kept, fairShare);
    }
    Map<String, Long> taken =
        kept.size() < fairShare
            ? leases.acquire(replica, duration, fairShare - kept.size(), kept.keySet())
            : Map.of();
    long validUntil = startedAt + renewDeadlineNanos;
    Map<String, Held> next = new HashMap<>();
    kept.forEach((host, epoch) -> next.put(host, new Held(epoch, validUntil)));
    taken.forEach((host, epoch) -> next.put(host, new Held(epoch, validUntil)));
    for (String host : held.keySet()) {
      if (!next.containsKey(host)) {
        log.warning("lost the lease of host " + host + " to another replica");
      }
    }
    held = Map.copyOf(next);
    taken.keySet().forEach(host -> log.info("took the lease of host " + host));
    taken.keySet().forEach(acquired);
  }

  /**
   * Gives up the leases beyond this replica's fair share (another replica started), so the others
   * can take them at their next renewal. It stops acting on those hosts first: whatever of its work
   * there is still in flight cannot commit once another replica took the lease with a higher epoch.
   */
  private void handOver(Map<String, Long> kept, int fairShare) {
    java.util.Set<String> extra =
        kept.keySet().stream()
            .sorted(java.util.Comparator.reverseOrder())
            .limit(kept.size() - fairShare)
            .collect(java.util.stream.Collectors.toSet());
    Map<String, Held> stillHeld = new HashMap<>(held);
    stillHeld.keySet().removeAll(extra);
    held = Map.copyOf(stillHeld);
    leases.release(replica, extra);
    extra.forEach(kept::remove);
    log.info("handed over the leases of hosts " + extra + " to share the fleet");
  }

  /** The epoch of the host's lease while this replica holds it. */
  public OptionalLong epoch(String hostId) {
    Held h = held.get(hostId);
    if (h == null || nanoTime.getAsLong() - h.validUntilNanos >= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(h.epoch());
  }

  public boolean owns(String hostId) {
    return epoch(hostId).isPresent();
  }

  /** The hosts this replica holds now. */
  public Set<String> owned() {
    long now = nanoTime.getAsLong();
    Set<String> owned = new java.util.TreeSet<>();
    held.forEach(
        (host, h) -> {
          if (now - h.validUntilNanos < 0) {
            owned.add(host);
          }
        });
    return owned;
  }

  /** Gives every lease up; only once nothing this replica does on its hosts is still running. */
  public synchronized void releaseAll() {
    held = Map.of();
    leases.releaseAll(replica);
  }
}
