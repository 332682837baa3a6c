package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerGroupStore.Expected;
import dev.berth.service.host.Fleet;
import dev.berth.service.host.HostRuntimes;
import dev.berth.service.host.HostState;
import dev.berth.service.metering.RunMetering;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Chooses what a sweep reconciles, so that its cost follows what changed rather than what is
 * stored. Per host this replica owns: one listing of Berth's containers there, one read of what the
 * groups' statuses expect there (the groups that expect nothing, finished ones among them, are not
 * read), and a pass only for a group whose containers differ from its status (one created, started,
 * stopped or removed behind Berth's back, or an event that was missed), that is not at rest, or
 * whose restart is due. The first sweep of a host after this replica took it passes every group on
 * it once, and every group waiting for room is passed each sweep. What a group's status says is in
 * PostgreSQL and what runs is on the host, so nothing this compares is kept in memory: a replica
 * that restarts simply sweeps in full first.
 *
 * <p>A listing that shows a group's containers running as its status says confirms its run for
 * billing, as a pass would: a group at rest is metered without being passed.
 */
public final class SweepingHosts {

  private static final Logger log = Logger.getLogger(SweepingHosts.class.getName());

  private final ContainerGroupStore store;
  private final HostRuntimes hosts;
  private final Fleet fleet;
  private final String installation;
  private final Clock clock;
  private final RunMetering metering;
  private final Set<String> sweptInFull = new HashSet<>();

  public SweepingHosts(
      ContainerGroupStore store,
      HostRuntimes hosts,
      Fleet fleet,
      String installation,
      Clock clock,
      RunMetering metering) {
    this.metering = metering;
    this.store = store;
    this.hosts = hosts;
    this.fleet = fleet;
    this.installation = installation;
    this.clock = clock;
  }

  /** The groups a sweep of {@code owned} hosts should reconcile now. */
  public synchronized Set<UUID> due(Collection<String> owned) {
    sweptInFull.retainAll(owned);
    Set<UUID> due = new LinkedHashSet<>(store.idsOn(List.of(), true));
    for (String host : owned) {
      HostState state = fleet.stateOf(host);
      if (state == HostState.SILENT) {
        // Nothing can be asked of it; its watcher wakes its groups when it answers or is lost.
        continue;
      }
      if (state == null || state == HostState.LOST || !sweptInFull.contains(host)) {
        // Groups on a lost host are moved off it by their passes; a host just taken is passed once.
        due.addAll(store.idsOn(List.of(host), false));
        if (state != null && state != HostState.LOST) {
          sweptInFull.add(host);
        }
        continue;
      }
      try {
        due.addAll(differing(host));
      } catch (RuntimeException e) {
        log.warning("sweeping host " + host + " failed; the next sweep tries again: " + e);
      }
    }
    return due;
  }

  private List<UUID> differing(String host) {
    Instant askedAt = clock.instant();
    Map<String, List<ManagedContainer>> listed = new HashMap<>();
    for (ManagedContainer c :
        hosts.forHost(host).listManaged(Map.of(Labels.INSTALLATION, installation))) {
      String group = c.labels().get(Labels.GROUP_ID);
      if (group != null) {
        listed.computeIfAbsent(group, g -> new java.util.ArrayList<>()).add(c);
      }
    }
    Instant now = clock.instant();
    List<UUID> due = new java.util.ArrayList<>();
    Set<String> expecting = new HashSet<>();
    for (Expected e : store.expectedOn(host)) {
      expecting.add(e.groupId().toString());
      boolean agrees = agrees(e, listed.getOrDefault(e.groupId().toString(), List.of()));
      if (agrees && e.running().containsValue(true)) {
        metering.stillRunning(e.groupId(), askedAt);
      }
      if (!agrees || !e.atRest() || (e.restartAt() != null && !e.restartAt().isAfter(now))) {
        due.add(e.groupId());
      }
    }
    // A group that expects nothing here (at rest, no container, no restart) is not read; one of
    // its containers on the host is a difference all the same. A container of no known group is
    // the orphan collector's, and its group's pass finds nothing.
    for (String group : listed.keySet()) {
      if (!expecting.contains(group)) {
        try {
          due.add(UUID.fromString(group));
        } catch (IllegalArgumentException notBerths) {
          // A label no Berth wrote: nothing to reconcile.
        }
      }
    }
    return due;
  }

  /**
   * Whether the host shows what the status says: each container it names is there and runs if and
   * only if the status says so, nothing else of the group's is there, and the sandbox (when the
   * group has one) runs while any of its containers does.
   */
  static boolean agrees(Expected expected, List<ManagedContainer> listed) {
    boolean anyRunning = expected.running().containsValue(true);
    int named = 0;
    for (ManagedContainer c : listed) {
      boolean runs = c.status() == ContainerStatus.RUNNING;
      if (LaunchSpecs.SANDBOX.equals(c.labels().get(Labels.CONTAINER))) {
        if (anyRunning && !runs) {
          return false;
        }
        continue;
      }
      Boolean shouldRun = expected.running().get(c.id());
      if (shouldRun == null || shouldRun != runs) {
        return false;
      }
      named++;
    }
    return named == expected.running().size();
  }
}
