package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.ManagedVolume;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerGroupStore.Placed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Removes containers and volumes that carry this installation's labels but hold no place here
 * (Nomad's dangling container collector). Level-triggered and without memory: every sweep decides
 * from what survives any process, the groups in PostgreSQL and the creation times the engine keeps,
 * so a restarted Berth and every replica reach the same verdict on the same host.
 */
public final class OrphanCollector {

  private static final Logger log = Logger.getLogger(OrphanCollector.class.getName());

  /** What a sweep does with one container or volume. */
  enum Verdict {
    /**
     * Its group lives on this host and it is of the group's current generation, or its group does
     * not exist but it is younger than the grace (or of unknown age).
     */
    KEEP,
    /** Its group lives on another host, or on none: a stale copy, removed at once. */
    GROUP_ELSEWHERE,
    /**
     * Its group lives on this host, but it is of an older generation (the group was replaced, or
     * moved away and back, e.g. after this host was declared lost): removed at once, so there are
     * never two live copies of a group.
     */
    OLDER_GENERATION,
    /** Its group does not exist and the engine created it at least the grace ago. */
    GROUP_GONE;

    boolean removes() {
      return this != KEEP;
    }
  }

  private final ContainerGroupStore store;
  private final Clock clock;
  private final Duration grace;
  private final String installation;

  /**
   * @param grace how long after its creation a container (or volume) whose group does not exist is
   *     left alone: a group whose records are not visible yet is never raced, since what it creates
   *     is young
   * @param installation only containers of this Berth installation are ever collected
   */
  /**
   * @param moves the old copies of groups being moved off a draining host, kept until their new
   *     copy runs (for at most {@link #MOVE_PATIENCE})
   */
  /** How long a drain's old copy may wait for its new one (Nomad's healthy_deadline). */
  static final Duration MOVE_PATIENCE = Duration.ofMinutes(5);

  private final GroupMoves moves;

  public OrphanCollector(
      ContainerGroupStore store,
      Clock clock,
      Duration grace,
      String installation,
      GroupMoves moves) {
    this.installation = installation;
    this.moves = moves;
    this.store = store;
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * One sweep of one host.
   *
   * @return how many containers and volumes it removed
   * @throws RuntimeFailure when the host cannot be listed or a container cannot be removed: a sweep
   *     that returns normally has left no stale copy of any group on the host
   */
  public int collect(String hostId, ContainerRuntime runtime) {
    Map<String, String> ours = Map.of(Labels.INSTALLATION, installation);
    List<ManagedContainer> containers = runtime.listManaged(ours);
    List<ManagedVolume> volumes = runtime.listManagedVolumes(ours);
    // Read after the listings, never before: a listed container was created for a placement and a
    // generation already committed, so a group that has just moved here (or been replaced) is seen
    // as it is now and its fresh copy is never taken for a stale one.
    Map<UUID, Placed> placed = store.placed(groupIds(containers, volumes));
    Instant now = clock.instant();
    int removed = 0;
    Set<UUID> groupsWithContainersLeft = new HashSet<>();
    for (ManagedContainer c : containers) {
      Verdict verdict = containerVerdict(hostId, c, placed, now);
      if (verdict.removes()) {
        log.info("removing container " + c.name() + " on host " + hostId + ": " + verdict);
        runtime.remove(c.id());
        removed++;
      } else {
        groupId(c.labels()).ifPresent(groupsWithContainersLeft::add);
      }
    }
    // Volumes after containers: a moved group's containers here are gone by now, so its volumes are
    // free. One still mounted by a container kept above waits for a later sweep.
    for (ManagedVolume v : volumes) {
      Optional<UUID> group = groupId(v.labels());
      if (group.isPresent() && groupsWithContainersLeft.contains(group.get())) {
        continue;
      }
      Verdict verdict = volumeVerdict(hostId, v, placed, now);
      if (verdict.removes() && removeVolume(hostId, v, verdict, runtime)) {
        removed++;
      }
    }
    return removed;
  }

  private boolean removeVolume(
      String hostId, ManagedVolume v, Verdict verdict, ContainerRuntime runtime) {
    try {
      runtime.removeVolume(v.name());
      log.info("removed volume " + v.name() + " on host " + hostId + ": " + verdict);
      return true;
    } catch (RuntimeFailure failure) {
      if (failure.kind() != RuntimeFailure.Kind.CONFLICT) {
        throw failure;
      }
      // Still in use by a container this sweep did not see (a volume writer's helper, say); a
      // volume holds no running copy of a group, so the next sweep tries again.
      return false;
    }
  }

  private Verdict containerVerdict(
      String hostId, ManagedContainer c, Map<UUID, Placed> placed, Instant now) {
    Verdict verdict = verdict(hostId, c.labels(), c.createdAt(), placed, now);
    if (verdict == Verdict.GROUP_ELSEWHERE
        && groupId(c.labels())
            .map(id -> moves.keepsOldCopy(id, hostId, generation(c.labels()), MOVE_PATIENCE))
            .orElse(false)) {
      // The old copy of a drain's move: it stops once the new one runs elsewhere.
      return Verdict.KEEP;
    }
    if (verdict != Verdict.KEEP) {
      return verdict;
    }
    Placed group = groupId(c.labels()).map(placed::get).orElse(null);
    // A container without a readable generation is not of the current one either (as the planner
    // sees it), so it goes like an older one.
    return group != null && generation(c.labels()) < group.generation()
        ? Verdict.OLDER_GENERATION
        : Verdict.KEEP;
  }

  /** Volumes belong to the group, not to a generation: only where the group lives matters. */
  private Verdict volumeVerdict(
      String hostId, ManagedVolume v, Map<UUID, Placed> placed, Instant now) {
    return verdict(hostId, v.labels(), v.createdAt(), placed, now);
  }

  private Verdict verdict(
      String hostId,
      Map<String, String> labels,
      Instant createdAt,
      Map<UUID, Placed> placed,
      Instant now) {
    Placed group = groupId(labels).map(placed::get).orElse(null);
    if (group == null) {
      // Of unknown age, it is never taken for old.
      boolean old = createdAt != null && !createdAt.plus(grace).isAfter(now);
      return old ? Verdict.GROUP_GONE : Verdict.KEEP;
    }
    return hostId.equals(group.hostId()) ? Verdict.KEEP : Verdict.GROUP_ELSEWHERE;
  }

  private static Set<UUID> groupIds(
      List<ManagedContainer> containers, List<ManagedVolume> volumes) {
    Set<UUID> ids = new HashSet<>();
    containers.forEach(c -> groupId(c.labels()).ifPresent(ids::add));
    volumes.forEach(v -> groupId(v.labels()).ifPresent(ids::add));
    return ids;
  }

  /** The group a label set names; empty when it names none, which counts as a group gone. */
  private static Optional<UUID> groupId(Map<String, String> labels) {
    String id = labels.get(Labels.GROUP_ID);
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException notAGroupId) {
      return Optional.empty();
    }
  }

  private static long generation(Map<String, String> labels) {
    try {
      return Long.parseLong(labels.getOrDefault(Labels.GENERATION, ""));
    } catch (NumberFormatException unreadable) {
      return -1;
    }
  }
}
