package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
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
    for (ManagedContainer c : runtime.listManaged(Map.of(Labels.INSTALLATION, installation))) {
      Optional<GroupStatus> owner = owner(c);
      if (owner.isPresent() && hostId.equals(owner.get().hostId())) {
        continue;
      }
      boolean movedAway = owner.isPresent();
      Instant first = seenBefore.getOrDefault(c.id(), now);
      if (movedAway || !first.plus(grace).isAfter(now)) {
        log.info(
            "removing orphaned container "
                + c.name()
                + " on host "
                + hostId
                + (movedAway
                    ? " (its group lives on another host now)"
                    : " (its group does not exist)"));
        runtime.remove(c.id());
        removed++;
      } else {
        stillOrphaned.put(c.id(), first);
      }
    }
    firstSeenOrphaned.put(hostId, stillOrphaned);
    return removed;
  }

  private Optional<GroupStatus> owner(ManagedContainer c) {
    String id = c.labels().get(Labels.GROUP_ID);
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
