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
    Map<String, Long> kept = leases.renew(replica, duration, epochs);
    int replicas = Math.max(1, leases.liveReplicas(duration));
    int fairShare = (leases.hostCount() + replicas - 1) / replicas;
    Map<String, Long> taken =
        kept.size() < fairShare
            ? leases.acquire(replica, duration, fairShare - kept.size())
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
