package dev.berth.service.containergroup;

import dev.berth.service.containergroup.GroupEventStream.Followed;
import dev.berth.service.containergroup.GroupEventStream.Numbered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Followers of single groups' streams on this replica, fed by one reader: every poll it reads, for
 * all followed groups at once, each group's state and then its events after the earliest of its
 * followers' last, and hands each follower what is new to it. A follower is handed nothing while it
 * has no room (its client is behind); it keeps its place and is read for again once it has, so a
 * client that stops reading holds up nobody and a slow one is neither dropped nor skipped. Once a
 * group has ended (Succeeded, Failed, Stopped, or gone) and a follower has been handed all its
 * events, the follower is told so and let go. While nobody follows, the reader reads nothing.
 */
public final class FollowingGroups implements AutoCloseable {

  private static final Logger log = Logger.getLogger(FollowingGroups.class.getName());
  static final int BATCH = 200;
  static final int PASSES = 5;

  /** Where a follower's events go; none of it may block (it queues them). */
  public interface Sink {
    /** Whether it can take a batch now; false while its client is behind, or once it is over. */
    boolean ready();

    /** Takes events, oldest first, each numbered after the last it took. */
    void take(List<Numbered> events);

    /** The group has ended and every one of its events was handed over; nothing more comes. */
    void ended();
  }

  /** One follow; {@link #close()} ends it. */
  public final class Follow implements AutoCloseable {
    private final UUID groupId;
    private final Sink sink;
    private long last; // read and written by the reader only, after registration

    private Follow(UUID groupId, long last, Sink sink) {
      this.groupId = groupId;
      this.last = last;
      this.sink = sink;
    }

    @Override
    public void close() {
      synchronized (FollowingGroups.this) {
        following.remove(this);
      }
    }
  }

  private final GroupEventStream stream;
  private final ScheduledExecutorService reader;
  private final Set<Follow> following = new LinkedHashSet<>(); // guarded by this

  public FollowingGroups(GroupEventStream stream, Duration poll) {
    this.stream = stream;
    this.reader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "berth-group-streams");
              t.setDaemon(true);
              return t;
            });
    reader.scheduleWithFixedDelay(
        this::readQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Follows a group's events numbered after {@code afterSeq}; they come at the next poll. */
  public Follow follow(UUID groupId, long afterSeq, Sink sink) {
    Follow follow = new Follow(groupId, afterSeq, sink);
    synchronized (this) {
      following.add(follow);
    }
    return follow;
  }

  /**
   * One poll: reads for every follower with room until none of them has a full batch waiting, or
   * {@link #PASSES} reads.
   */
  void read() {
    List<Follow> waiting;
    synchronized (this) {
      waiting = new ArrayList<>(following);
    }
    // A few batches a poll at most: one follower far behind must not keep the others' groups from
    // being read (it keeps its place and goes on at the next poll).
    for (int pass = 0; pass < PASSES && !waiting.isEmpty(); pass++) {
      Map<UUID, Long> from = new HashMap<>();
      List<Follow> reading = new ArrayList<>();
      for (Follow f : waiting) {
        if (f.sink.ready()) {
          reading.add(f);
          from.merge(f.groupId, f.last, Math::min);
        }
      }
      if (reading.isEmpty()) {
        return;
      }
      Map<UUID, Followed> read = stream.followed(from, BATCH);
      waiting = new ArrayList<>();
      for (Follow f : reading) {
        Followed group = read.get(f.groupId);
        List<Numbered> fresh = new ArrayList<>(group.events().size());
        for (Numbered e : group.events()) {
          if (e.seq() > f.last) {
            fresh.add(e);
          }
        }
        if (!fresh.isEmpty()) {
          f.last = fresh.get(fresh.size() - 1).seq();
          f.sink.take(fresh);
        }
        if (group.events().size() == BATCH) {
          waiting.add(f); // more may be waiting: read on while it has room
        } else if (group.state().map(FollowingGroups::over).orElse(true)) {
          f.close();
          f.sink.ended();
        }
      }
    }
  }

  private static boolean over(GroupState state) {
    return state == GroupState.SUCCEEDED
        || state == GroupState.FAILED
        || state == GroupState.STOPPED;
  }

  private void readQuietly() {
    try {
      read();
    } catch (RuntimeException e) {
      // The database may be away: the next poll reads from the same places.
      log.log(Level.FINE, "could not read the groups' streams", e);
    }
  }

  /** How many follows this replica holds. */
  public synchronized int followers() {
    return following.size();
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
