package dev.berth.service.workload;

import dev.berth.runtime.LogFollow;
import dev.berth.runtime.LogLine;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.host.HostRuntimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A container's output followed as it is written, across its restarts and moves, until its group
 * has ended. Each line is sent once, in the engine's order: a follow goes on from a cursor, the
 * engine's timestamp of the last line sent, so the engine's stream can be opened again (after a
 * restart, a move to another host, a broken connection, a client that reconnects to another
 * replica) without repeating or losing a line.
 *
 * <p>While the container runs, the follower holds the engine's own follow and costs nothing else;
 * between runs it reads the group's status every {@link #POLL} until a new run begins or the group
 * ends (Succeeded, Failed, Stopped or deleted).
 */
public final class FollowingContainerLogs implements AutoCloseable {

  static final Duration POLL = Duration.ofMillis(500);

  private final ContainerGroupStore store;
  private final ReadingContainerLogs reading;
  private final HostRuntimes hosts;
  private final ScheduledExecutorService timer;

  public FollowingContainerLogs(
      ContainerGroupStore store,
      ReadingContainerLogs reading,
      HostRuntimes hosts,
      ScheduledExecutorService timer) {
    this.store = store;
    this.reading = reading;
    this.hosts = hosts;
    this.timer = timer;
  }

  /** Stops the timer: follows between runs end with the service. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** Where the lines go. Calls come one at a time, from the runtime's or the timer's threads. */
  public interface Sink {

    /**
     * One line of output.
     *
     * @throws java.io.IOException when the client has gone, which ends the follow
     */
    void line(LogLine line) throws java.io.IOException;

    /**
     * Called once, after the last line.
     *
     * @param groupEnded true when the group has ended (or is gone), so nothing more will come;
     *     false when the follow was closed or the client went away
     */
    void end(boolean groupEnded);
  }

  /** A running follow. */
  public interface Follow extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Starts following. Without {@code after}, the latest run's output comes first (only its last
   * {@code tail} lines when tail is given); with it, every line stamped after it, of any run.
   *
   * @return empty when there is no such group
   * @throws ContainerNotFoundException when the group has no such container
   */
  public Optional<Follow> follow(
      GroupKey key, String containerName, Instant after, Integer tail, Sink sink) {
    Optional<ContainerGroup> group = store.find(key);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    UUID groupId = group.get().id();
    Instant cursor = after;
    List<LogLine> first = List.of();
    if (after == null) {
      var output = reading.read(key, containerName, false).orElseThrow();
      cursor = output.cursor();
      first = output.lines();
      if (tail != null && first.size() > tail) {
        first = first.subList(first.size() - tail, first.size());
      }
    } else if (group.get().spec().containers().stream()
        .noneMatch(c -> c.name().equals(containerName))) {
      throw new ContainerNotFoundException(key.name(), containerName);
    }
    Follower follower = new Follower(groupId, containerName, cursor, sink);
    List<LogLine> firstLines = first;
    timer.execute(() -> follower.begin(firstLines));
    return Optional.of(follower);
  }

  /**
   * Whether nothing is left to send after {@code after}: the group has ended (or is gone) and its
   * container wrote nothing later. What a follow that would end at once answers instead (204).
   */
  public boolean nothingAfter(GroupKey key, String containerName, Instant after) {
    Optional<ContainerGroup> group = store.find(key);
    if (group.isEmpty()) {
      return true;
    }
    Optional<GroupStatus> status = store.status(group.get().id());
    if (status.isEmpty() || !ended(status.get())) {
      return false;
    }
    var output = reading.read(key, containerName, false).orElse(null);
    return output == null || output.cursor() == null || !output.cursor().isAfter(after);
  }

  private static boolean ended(GroupStatus status) {
    GroupState state = status.state();
    return state == GroupState.SUCCEEDED
        || state == GroupState.FAILED
        || state == GroupState.STOPPED;
  }

  /** The engine's follow of one run, or the wait between runs. */
  private final class Follower implements Follow {

    private final UUID groupId;
    private final String containerName;
    private final Sink sink;
    private volatile Instant cursor;
    private volatile boolean closed;
    private volatile LogFollow attached;
    private volatile boolean ending;

    /** What was followed last: the container and the start of its run, as the status said. */
    private String followedContainer;

    private Instant followedRun;

    private long attachedAt;

    private final java.util.concurrent.atomic.AtomicBoolean endedOnce =
        new java.util.concurrent.atomic.AtomicBoolean();

    Follower(UUID groupId, String containerName, Instant cursor, Sink sink) {
      this.groupId = groupId;
      this.containerName = containerName;
      this.cursor = cursor;
      this.sink = sink;
    }

    void begin(List<LogLine> first) {
      for (LogLine line : first) {
        if (!send(line)) {
          return;
        }
      }
      next();
    }

    /** Attaches to the container's current run, waits for the next, or ends. */
    private synchronized void next() {
      if (closed) {
        finish(false);
        return;
      }
      try {
        Optional<GroupStatus> status = store.status(groupId);
        if (status.isEmpty()) {
          finish(true);
          return;
        }
        // Read before attaching: a group that had ended before the engine's stream was opened
        // has written everything that stream will give.
        boolean groupEnded = ended(status.get());
        ContainerStatus container = status.get().container(containerName).orElse(null);
        String containerId = container == null ? null : container.containerId();
        String hostId = status.get().hostId();
        Instant run = runStart(container);
        if (containerId == null || hostId == null) {
          if (groupEnded) {
            finish(true);
          } else {
            later();
          }
          return;
        }
        boolean newRun =
            !containerId.equals(followedContainer) || !Objects.equals(run, followedRun);
        boolean running =
            container.currentState() != null
                && container.currentState().state() == ContainerState.Kind.RUNNING;
        if (!newRun) {
          if (groupEnded && ending) {
            finish(true);
            return;
          }
          // The same run again: the engine's stream broke while it runs (an engine restarted), or
          // the status has not caught up with a run that ended. Not more often than every POLL.
          boolean again =
              groupEnded || (running && attachedAt + POLL.toNanos() <= System.nanoTime());
          if (!again) {
            later();
            return;
          }
        }
        attachedAt = System.nanoTime();
        followedContainer = containerId;
        followedRun = run;
        ending = groupEnded;
        attached =
            hosts
                .forHost(hostId)
                .followLogs(containerId, cursor, this::send, () -> timer.execute(this::next));
      } catch (RuntimeException unavailable) {
        // The engine or the database is away for now: the cursor keeps the place.
        if (ending) {
          finish(true);
        } else {
          later();
        }
      }
    }

    private Instant runStart(ContainerStatus container) {
      if (container == null) {
        return null;
      }
      ContainerState last = container.lastRun();
      return last == null ? null : last.startTime();
    }

    private void later() {
      if (!closed) {
        timer.schedule(this::next, POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private boolean send(LogLine line) {
      if (closed) {
        return false;
      }
      try {
        sink.line(line);
        cursor = line.time();
        return true;
      } catch (java.io.IOException | RuntimeException gone) {
        close();
        return false;
      }
    }

    private void finish(boolean groupEnded) {
      if (endedOnce.compareAndSet(false, true)) {
        sink.end(groupEnded);
      }
    }

    @Override
    public void close() {
      closed = true;
      LogFollow engine = attached;
      if (engine != null) {
        engine.close();
      }
      timer.execute(() -> finish(false));
    }
  }
}
