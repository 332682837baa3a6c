package dev.berth.service.containergroup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where groups live: desired state ({@link ContainerGroup}) and observed state ({@link
 * GroupStatus}) in separate records, so the API and the reconciler never overwrite each other's
 * fields. Writes of a status carry an optimistic version check: a status computed from a stale read
 * is refused.
 */
public interface ContainerGroupStore {

  Optional<ContainerGroup> find(GroupKey key);

  Optional<ContainerGroup> findById(UUID id);

  Optional<GroupStatus> status(UUID id);

  /** The statuses of several groups at once (a page of a list), by group id. */
  java.util.Map<UUID, GroupStatus> statuses(java.util.Collection<UUID> ids);

  /**
   * Where each of {@code ids} that exists is placed and which generation is current: what the
   * orphan collector needs for a whole host's listing. Ids of groups that do not exist are absent
   * from the answer. The default asks group by group; a store on a database answers in one query.
   */
  default java.util.Map<UUID, Placed> placed(java.util.Collection<UUID> ids) {
    java.util.Map<UUID, Placed> byId = new java.util.HashMap<>();
    for (UUID id : ids) {
      findById(id)
          .ifPresent(
              g ->
                  byId.put(
                      id,
                      new Placed(
                          status(id).map(GroupStatus::hostId).orElse(null), g.generation())));
    }
    return byId;
  }

  /**
   * One page of a subscription's groups, optionally of one resource group, ordered by resource
   * group and name: only what names each group's stored state, so that a reader with a rendering of
   * that state can answer without reading the state itself. Keyset paging: {@code after} is the
   * previous page's {@link RevisionPage#nextAfter()}.
   */
  RevisionPage revisions(String subscriptionId, String resourceGroup, String after, int limit);

  /** What names the stored state of the group with {@code key}, if it exists. */
  Optional<Revision> revision(GroupKey key);

  /** Several groups with their statuses, each read with the revision it is at, by group id. */
  java.util.Map<UUID, Current> current(java.util.Collection<UUID> ids);

  void insert(ContainerGroup group, GroupStatus status);

  void update(ContainerGroup group);

  /**
   * Replaces the status.
   *
   * @param basedOn the status the new one was computed from
   * @throws StaleStatusException when another writer changed the status since {@code basedOn}
   */
  void saveStatus(GroupStatus status, GroupStatus basedOn);

  /** Resets the status to {@code status} unconditionally (the API, on a new generation). */
  void resetStatus(GroupStatus status);

  /** Removes the group, its status and its reservation. */
  void delete(UUID id);

  /**
   * What the status of each group placed on {@code hostId} expects to find on that host, read in
   * one query: a sweep compares it with one listing of the host instead of asking the engine about
   * each group. Groups that expect nothing there ({@link Expected#quiet}) are left out, so that the
   * cost of a sweep follows the groups with something on the host, not all that are stored.
   */
  List<Expected> expectedOn(String hostId);

  /**
   * One group's expectations of its host.
   *
   * @param atRest nothing is left to do until something changes: the status reflects the current
   *     spec, restart and desired state, and the group is not being created, repaired or deleted
   * @param running for each container the status names (init containers too), by the engine's id:
   *     whether the status says it runs
   * @param restartAt the earliest restart due, or null
   */
  record Expected(
      UUID groupId, boolean atRest, java.util.Map<String, Boolean> running, Instant restartAt) {
    public Expected {
      running = java.util.Map.copyOf(running);
    }

    /**
     * At rest, naming no container and no restart: the group expects nothing on its host (a
     * finished job whose containers are gone, or whose image never came). {@link #expectedOn}
     * leaves such groups out.
     */
    public boolean quiet() {
      return atRest && running.isEmpty() && restartAt == null;
    }

    /** The rule, from the domain objects; a store may compute the same in its query. */
    public static Expected of(ContainerGroup group, GroupStatus status) {
      boolean atRest =
          group.generation() == status.observedGeneration()
              && group.restartEpoch() == status.appliedRestartEpoch()
              && group.desiredState() != DesiredState.DELETED
              && (status.provisioningState() == ProvisioningState.SUCCEEDED
                  || status.provisioningState() == ProvisioningState.FAILED)
              && (group.desiredState() == DesiredState.RUNNING
                  || status.state() == GroupState.STOPPED);
      java.util.Map<String, Boolean> running = new java.util.HashMap<>();
      java.util.stream.Stream.concat(status.containers().stream(), status.initContainers().stream())
          .filter(c -> c.containerId() != null)
          .forEach(
              c ->
                  running.put(
                      c.containerId(), c.currentState().state() == ContainerState.Kind.RUNNING));
      Instant restartAt =
          status.containers().stream()
              .map(ContainerStatus::restartAt)
              .filter(java.util.Objects::nonNull)
              .min(Instant::compareTo)
              .orElse(null);
      return new Expected(status.groupId(), atRest, running, restartAt);
    }
  }

  /**
   * Ids of the groups placed on any of {@code hostIds}, and with {@code unplaced} those placed
   * nowhere (they wait for room).
   */
  List<UUID> idsOn(java.util.Collection<String> hostIds, boolean unplaced);

  /**
   * Every image, of containers and init containers, that the groups placed on {@code hostId} name,
   * whether their containers run or not.
   */
  java.util.Set<String> imagesOn(String hostId);

  /**
   * Where an existing group lives and for which generation of its spec.
   *
   * @param hostId the host its containers belong on ({@link GroupStatus#hostId()}), or null when it
   *     is not placed
   * @param generation the group's current spec generation ({@link ContainerGroup#generation()})
   */
  record Placed(String hostId, long generation) {}

  /**
   * Names the stored state of a group: both parts change with every write of either, the desired
   * state (its row version) and the observed state (the status's concurrency token, which only
   * moves forward).
   *
   * @param statusToken the status's {@link GroupStatus#updatedAt()}, or null without a status
   */
  record Revision(UUID id, long version, Instant statusToken) {}

  /** One page of revisions and the token for the next page, if any. */
  record RevisionPage(List<Revision> revisions, String nextAfter) {}

  /** A group and its status (or null), as of {@code revision}. */
  record Current(ContainerGroup group, GroupStatus status, Revision revision) {}

  /** A status write lost a race; the reconciler reloads and tries again. */
  class StaleStatusException extends RuntimeException {
    public StaleStatusException(UUID groupId) {
      super("status of group " + groupId + " changed concurrently");
    }
  }
}
