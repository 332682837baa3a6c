package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.ManagedVolume;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.GroupStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Removes containers that carry Berth's labels but belong to no group here (Nomad's dangling
 * container collector): a container whose group does not exist is removed once it has been seen
 * orphaned for the grace period (so a group being created elsewhere is never raced); one whose
 * group now lives on another host is removed at once.
 */
public final class OrphanCollector {

  private static final Logger log = Logger.getLogger(OrphanCollector.class.getName());

  private final ContainerGroupStore store;
  private final Clock clock;
  private final Duration grace;
  private final String installation;

  /** Per host: container id to when it was first seen orphaned. */
  private final Map<String, Map<String, Instant>> firstSeenOrphaned = new ConcurrentHashMap<>();

  /**
   * @param installation only containers of this Berth installation are ever collected
   */
  public OrphanCollector(
      ContainerGroupStore store, Clock clock, Duration grace, String installation) {
    this.installation = installation;
    this.store = store;
    this.clock = clock;
    this.grace = grace;
  }

  /** One sweep of one host; returns how many containers it removed. */
  public int collect(String hostId, ContainerRuntime runtime) {
    Instant now = clock.instant();
    Map<String, Instant> seenBefore = firstSeenOrphaned.getOrDefault(hostId, Map.of());
    Map<String, Instant> stillOrphaned = new HashMap<>();
    int removed = 0;
    Map<String, String> ours = Map.of(Labels.INSTALLATION, installation);
    for (ManagedContainer c : runtime.listManaged(ours)) {
      if (orphaned(hostId, c.id(), c.labels(), seenBefore, stillOrphaned, now)) {
        log.info("removing orphaned container " + c.name() + " on host " + hostId);
        runtime.remove(c.id());
        removed++;
      }
    }
    // Volumes after containers: a moved group's containers here are gone by now, so its volumes are
    // free.
    for (ManagedVolume v : runtime.listManagedVolumes(ours)) {
      if (orphaned(hostId, "volume:" + v.name(), v.labels(), seenBefore, stillOrphaned, now)) {
        try {
          runtime.removeVolume(v.name());
          log.info("removed orphaned volume " + v.name() + " on host " + hostId);
          removed++;
        } catch (RuntimeFailure inUse) {
          // Still mounted by a container that goes first; the next sweep tries again.
          stillOrphaned.put(
              "volume:" + v.name(), seenBefore.getOrDefault("volume:" + v.name(), now));
        }
      }
    }
    firstSeenOrphaned.put(hostId, stillOrphaned);
    return removed;
  }

  /**
   * Whether a container or volume of this installation should go: its group does not exist and it
   * has been seen so for the grace period, or its group lives on another host now.
   */
  private boolean orphaned(
      String hostId,
      String key,
      Map<String, String> labels,
      Map<String, Instant> seenBefore,
      Map<String, Instant> stillOrphaned,
      Instant now) {
    Optional<GroupStatus> owner = owner(labels);
    if (owner.isPresent() && hostId.equals(owner.get().hostId())) {
      return false;
    }
    Instant first = seenBefore.getOrDefault(key, now);
    if (owner.isPresent() || !first.plus(grace).isAfter(now)) {
      return true;
    }
    stillOrphaned.put(key, first);
    return false;
  }

  private Optional<GroupStatus> owner(Map<String, String> labels) {
    String id = labels.get(Labels.GROUP_ID);
    if (id == null) {
      return Optional.empty();
    }
    try {
      return store.status(UUID.fromString(id));
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
  }
}
