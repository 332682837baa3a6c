package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerEvent;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.GroupChanged;
import dev.berth.service.host.HostRuntimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Follows the event stream of every host this replica owns, so that a container that dies or is
 * removed gets its group a pass within moments instead of at the next sweep. One thread per host
 * reads the engine's events in windows, each starting where the last one ended (the engine replays
 * what it still holds), so a broken stream loses nothing the engine kept; whatever is lost anyway
 * is found by the sweep, which compares each host's listing with the statuses.
 */
public final class FollowingHosts implements AutoCloseable {

  private static final Logger log = Logger.getLogger(FollowingHosts.class.getName());
  private static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private final HostRuntimes hosts;
  private final String installation;
  private final GroupChanged changed;
  private final Duration window;
  private final Map<String, Thread> followers = new HashMap<>();

  /**
   * @param window how long one request to the engine follows its stream
   */
  public FollowingHosts(
      HostRuntimes hosts, String installation, GroupChanged changed, Duration window) {
    this.hosts = hosts;
    this.installation = installation;
    this.changed = changed;
    this.window = window;
  }

  /** Follows exactly the hosts in {@code owned}: new ones from now, others no more. */
  public synchronized void follow(Collection<String> owned) {
    for (Iterator<Map.Entry<String, Thread>> it = followers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Thread> follower = it.next();
      if (!owned.contains(follower.getKey()) || !follower.getValue().isAlive()) {
        follower.getValue().interrupt();
        it.remove();
      }
    }
    for (String host : owned) {
      followers.computeIfAbsent(
          host,
          h -> {
            Thread t = new Thread(() -> followUntilInterrupted(h), "berth-events-" + h);
            t.setDaemon(true);
            t.start();
            return t;
          });
    }
  }

  private void followUntilInterrupted(String host) {
    Instant since = Instant.now();
    int failures = 0;
    while (!Thread.currentThread().isInterrupted()) {
      Instant until = (since.isAfter(Instant.now()) ? since : Instant.now()).plus(window);
      try {
        hosts
            .forHost(host)
            .followEvents(Map.of(Labels.INSTALLATION, installation), since, until, this::wake);
        since = until;
        failures = 0;
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        failures++;
        if (failures == 1) {
          log.info("following the events of host " + host + " broke; retrying: " + e.getMessage());
        }
        try {
          Thread.sleep(Math.min(MAX_RETRY.toMillis(), 500L << Math.min(failures, 5)));
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void wake(ContainerEvent event) {
    String group = event.attributes().get(Labels.GROUP_ID);
    if (group == null) {
      return;
    }
    try {
      changed.groupChanged(UUID.fromString(group));
    } catch (IllegalArgumentException notOurs) {
      // A label Berth did not write: nothing to wake.
    }
  }

  @Override
  public synchronized void close() {
    followers.values().forEach(Thread::interrupt);
    followers.clear();
  }
}
