package dev.berth.service.containergroup;

import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Followers of subscriptions' streams on this replica, fed by one reader: every poll it reads what
 * became final after its position, once for all followers whatever their number, and hands each
 * follower its subscription's events. A follower that resumes from an earlier position first reads
 * its own way up to the reader's position, then joins; a follower is never handed an event at or
 * before the last one it was handed, so joining, a reader behind the client's position, or a retry
 * after a failed read repeats nothing. While nobody follows, the reader reads nothing.
 */
public final class FollowingSubscriptions implements AutoCloseable {

  private static final Logger log = Logger.getLogger(FollowingSubscriptions.class.getName());
  static final int BATCH = 500;

  /** Where a follower's events go; it must not block (it queues them). */
  public interface Sink {
    /**
     * Takes events, oldest first.
     *
     * @return false when the follower can take no more: it is dropped and resumes by reconnecting
     */
    boolean take(List<Streamed> events);
  }

  /** One follow; {@link #close()} ends it. */
  public final class Follow implements AutoCloseable {
    private final String subscriptionId;
    private final Sink sink;
    private Position last; // guarded by FollowingSubscriptions.this

    private Follow(String subscriptionId, Position last, Sink sink) {
      this.subscriptionId = subscriptionId;
      this.last = last;
      this.sink = sink;
    }

    /** The events after this follower's last, handed over; false when the sink refused them. */
    private boolean hand(List<Streamed> events) {
      List<Streamed> fresh = new ArrayList<>(events.size());
      for (Streamed p : events) {
        if (p.position().compareTo(last) > 0) {
          fresh.add(p);
        }
      }
      if (fresh.isEmpty()) {
        return true;
      }
      last = fresh.get(fresh.size() - 1).position();
      return sink.take(fresh);
    }

    @Override
    public void close() {
      synchronized (FollowingSubscriptions.this) {
        Set<Follow> of = following.get(subscriptionId);
        if (of != null && of.remove(this) && of.isEmpty()) {
          following.remove(subscriptionId);
        }
      }
    }
  }

  private final SubscriptionEventStream stream;
  private final ScheduledExecutorService reader;
  private final Map<String, Set<Follow>> following = new HashMap<>(); // guarded by this
  private Position position; // guarded by this; null until first read

  public FollowingSubscriptions(SubscriptionEventStream stream, Duration poll) {
    this.stream = stream;
    this.reader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "berth-subscription-streams");
              t.setDaemon(true);
              return t;
            });
    reader.scheduleWithFixedDelay(
        this::readQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Follows a subscription's events after {@code after} (null: from now on).
   *
   * @return the follow, once its sink has been handed everything up to the reader's position
   */
  public Follow follow(String subscriptionId, Position after, Sink sink) {
    Position last = after;
    while (true) {
      Position through;
      synchronized (this) {
        if (position == null) {
          position = stream.end();
        }
        if (last == null) {
          last = position;
        }
        if (last.compareTo(position) >= 0) {
          Follow follow = new Follow(subscriptionId, last, sink);
          following.computeIfAbsent(subscriptionId, s -> new LinkedHashSet<>()).add(follow);
          return follow;
        }
        through = position;
      }
      // Behind the reader: catch up on its own, without holding the reader up.
      List<Streamed> batch = stream.after(subscriptionId, last, through, BATCH);
      if (batch.isEmpty()) {
        last = through;
      } else {
        if (!sink.take(batch)) {
          return new Follow(subscriptionId, last, sink); // never registered: nothing more to stop
        }
        last = batch.get(batch.size() - 1).position();
      }
    }
  }

  /** One read: whatever became final since the last, handed to its subscription's followers. */
  synchronized void read() {
    if (following.isEmpty()) {
      position = null; // nothing read while nobody follows; the next follow finds the end
      return;
    }
    if (position == null) {
      position = stream.end();
    }
    List<Streamed> batch;
    do {
      batch = stream.after(position, BATCH);
      Map<String, List<Streamed>> bySubscription = new HashMap<>();
      for (Streamed p : batch) {
        if (following.containsKey(p.subscriptionId())) {
          bySubscription.computeIfAbsent(p.subscriptionId(), s -> new ArrayList<>()).add(p);
        }
      }
      for (var e : bySubscription.entrySet()) {
        Set<Follow> of = following.get(e.getKey());
        of.removeIf(f -> !f.hand(e.getValue()));
        if (of.isEmpty()) {
          following.remove(e.getKey());
        }
      }
      if (!batch.isEmpty()) {
        position = batch.get(batch.size() - 1).position();
      }
    } while (batch.size() == BATCH);
  }

  private void readQuietly() {
    try {
      read();
    } catch (RuntimeException e) {
      // The database may be away: the next poll reads from the same position.
      log.log(Level.FINE, "could not read the subscriptions' streams", e);
    }
  }

  /** How many follows this replica holds. */
  public synchronized int followers() {
    return following.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
