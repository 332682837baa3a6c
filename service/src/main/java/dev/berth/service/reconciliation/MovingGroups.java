package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.Placement;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.Transactions;
import dev.berth.service.host.Fleet;
import dev.berth.service.metering.RunMetering;
import dev.berth.service.scheduling.InsufficientCapacityException;
import dev.berth.service.scheduling.PlacementStore;
import dev.berth.service.scheduling.PlacingContainerGroup;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Passes for groups that cannot be reconciled on their host: the host is lost, or the group waits
 * for room anywhere. No engine is asked; everything is decided from the database and written in one
 * transaction with the fencing check.
 *
 * <p>On a lost host, as ACI repairs and Nomad replaces lost allocations: an Always group, and an
 * OnFailure group that has not ended, is placed again as a new generation ({@code Repairing}); a
 * Never group that still runs fails with {@code HostLost} (unless the operator wants those moved
 * too); a delete or stop completes at once. The old generation's containers are killed when the
 * host answers again, before it takes new work.
 */
public final class MovingGroups {

  private static final Logger log = Logger.getLogger(MovingGroups.class.getName());

  private final ContainerGroupStore store;
  private final PlacingContainerGroup placing;
  private final PlacementStore placements;
  private final Transactions transactions;
  private final Fleet fleet;
  private final RunMetering metering;
  private final Clock clock;
  private final boolean rescheduleNever;
  private final GroupMoves moves;

  public MovingGroups(
      ContainerGroupStore store,
      PlacingContainerGroup placing,
      PlacementStore placements,
      Transactions transactions,
      Fleet fleet,
      RunMetering metering,
      Clock clock,
      boolean rescheduleNever,
      GroupMoves moves) {
    this.store = store;
    this.placing = placing;
    this.placements = placements;
    this.transactions = transactions;
    this.fleet = fleet;
    this.metering = metering;
    this.clock = clock;
    this.rescheduleNever = rescheduleNever;
    this.moves = moves;
  }

  /** A pass for a group whose host is lost (or no longer registered). */
  Reconciler.Outcome onLostHost(ContainerGroup group, GroupStatus before) {
    String host = before.hostId();
    Instant now = clock.instant();
    if (group.desiredState() == DesiredState.DELETED) {
      return deleteNow(group, host, now);
    }
    if (!GroupPlanner.holdsCapacity(before)) {
      transactions.inTransaction(
          () -> {
            fleet.assertOwned(host);
            placements.release(group.id());
            return null;
          });
      return new Reconciler.Outcome(false, null);
    }
    if (group.desiredState() == DesiredState.STOPPED) {
      GroupStatus stopped =
          before.with(
              before.provisioningState(),
              GroupState.STOPPED,
              GroupEvent.append(
                  before.events(),
                  GroupEvent.normal(
                      "Stopped",
                      "Stopped while host "
                          + host
                          + " does not answer; its containers are removed when it answers again",
                      now)));
      return finish(group, before, stopped, host, now);
    }
    boolean move = group.spec().restartPolicy() != RestartPolicy.NEVER || rescheduleNever;
    if (!move) {
      return finish(group, before, hostLost(before, host, now), host, now);
    }
    return moveElsewhere(group, before, host, now);
  }

  /** A pass for a group that is placed nowhere: it waits for room, and takes it when there is. */
  Reconciler.Outcome unplaced(ContainerGroup group, GroupStatus before) {
    Instant now = clock.instant();
    if (group.desiredState() == DesiredState.DELETED) {
      transactions.inTransaction(
          () -> {
            metering.deleted(group.id(), now);
            store.delete(group.id());
            return null;
          });
      return new Reconciler.Outcome(true, null);
    }
    if (group.desiredState() == DesiredState.STOPPED) {
      GroupStatus stopped =
          before.with(before.provisioningState(), GroupState.STOPPED, before.events());
      if (before.state() != GroupState.STOPPED) {
        transactions.inTransaction(
            () -> {
              metering.observed(group, stopped, now, now);
              store.saveStatus(stopped, before);
              return null;
            });
      }
      return new Reconciler.Outcome(false, null);
    }
    if (!GroupPlanner.holdsCapacity(before)) {
      return new Reconciler.Outcome(false, null);
    }
    Placement placed =
        transactions.inTransaction(
            () -> {
              try {
                Placement p = placing.place(group.id(), group.spec(), null);
                GroupStatus at =
                    before
                        .placedAt(p)
                        .with(
                            before.provisioningState(),
                            before.state(),
                            GroupEvent.append(
                                before.events(),
                                GroupEvent.normal(
                                    "Scheduled", "Placed on host " + p.hostId(), now)));
                store.saveStatus(at, before);
                return p;
              } catch (InsufficientCapacityException noRoom) {
                List<GroupEvent> events = waitingForRoom(before.events(), noRoom, now);
                if (!events.equals(before.events())) {
                  store.saveStatus(
                      before.with(before.provisioningState(), before.state(), events), before);
                }
                return null;
              }
            });
    if (placed != null) {
      fleet.wakeOwner(placed.hostId(), group.id());
    }
    return new Reconciler.Outcome(false, null);
  }

  private Reconciler.Outcome deleteNow(ContainerGroup group, String host, Instant now) {
    transactions.inTransaction(
        () -> {
          fleet.assertOwned(host);
          // The run ends now; billing stopped at the host's last answer already.
          metering.deleted(group.id(), now);
          store.delete(group.id());
          return null;
        });
    log.info(
        "group "
            + group.key().name()
            + " deleted while host "
            + host
            + " is lost; its containers go when it answers");
    return new Reconciler.Outcome(true, null);
  }

  private Reconciler.Outcome finish(
      ContainerGroup group, GroupStatus before, GroupStatus after, String host, Instant now) {
    transactions.inTransaction(
        () -> {
          fleet.assertOwned(host);
          metering.observed(group, after, now, now);
          store.saveStatus(after, before);
          placements.release(group.id());
          return null;
        });
    return new Reconciler.Outcome(false, null);
  }

  /** A Never group's run ends with its host: Failed, with the reason on every running container. */
  private static GroupStatus hostLost(GroupStatus before, String host, Instant now) {
    List<ContainerStatus> containers =
        before.containers().stream()
            .map(
                c ->
                    c.currentState().state() == ContainerState.Kind.TERMINATED
                        ? c
                        : new ContainerStatus(
                            c.name(),
                            c.containerId(),
                            new ContainerState(
                                ContainerState.Kind.TERMINATED,
                                c.currentState().startTime(),
                                null,
                                null,
                                "HostLost"),
                            c.previousState(),
                            c.restartCount(),
                            GroupEvent.append(
                                c.events(),
                                GroupEvent.warning(
                                    "HostLost",
                                    "Host " + host + " was lost with the container",
                                    now)),
                            c.backoffStreak(),
                            null))
            .toList();
    return before
        .withContainers(containers)
        .with(
            before.provisioningState(),
            GroupState.FAILED,
            GroupEvent.append(
                before.events(),
                GroupEvent.warning(
                    "HostLost",
                    "Host "
                        + host
                        + " stopped answering and was declared lost; a Never group is not placed"
                        + " again (berth.hosts.reschedule-never)",
                    now)));
  }

  private Reconciler.Outcome moveElsewhere(
      ContainerGroup group, GroupStatus before, String host, Instant now) {
    Placement placed =
        transactions.inTransaction(
            () -> {
              // The host's row is locked for update before the ownership check reads it for share:
              // taken the other way round, two passes moving groups off the same lost host both
              // hold it for share and each waits for the other to let go (a deadlock PostgreSQL
              // breaks by failing one pass, which then waits for the next sweep).
              boolean lost = fleet.lockIfLost(host);
              fleet.assertOwned(host);
              if (!lost) {
                // It answered again and was swept meanwhile: the group stays where it is.
                return null;
              }
              return asNewGeneration(
                  group,
                  now,
                  true,
                  generation ->
                      GroupEvent.warning(
                          "HostLost",
                          "Host "
                              + host
                              + " stopped answering and was declared lost; placing the group"
                              + " again as generation "
                              + generation,
                          now));
            });
    announce(group, host, placed, "lost");
    return new Reconciler.Outcome(false, null);
  }

  /**
   * Moves a group that holds room on a draining host to another host as a new generation, its old
   * copy left running until the move is finished (start before stop).
   *
   * @param force the drain's deadline passed: move it even without room elsewhere (it then waits
   *     for room, placed nowhere), and keep no old copy
   * @return true when the group was moved
   */
  public boolean moveOffDrainingHost(ContainerGroup group, String host, boolean force) {
    Instant now = clock.instant();
    Placement placed =
        transactions.inTransaction(
            () -> {
              fleet.assertOwned(host);
              Placement p =
                  asNewGeneration(
                      group,
                      now,
                      force,
                      generation ->
                          GroupEvent.normal(
                              "Draining",
                              "Host "
                                  + host
                                  + (force
                                      ? " is draining and its deadline passed; the group is placed"
                                          + " again as generation "
                                      : " is draining; the group is started elsewhere as"
                                          + " generation ")
                                  + generation
                                  + (force ? "" : " before its old copy stops"),
                              now));
              if (p != null && !force) {
                moves.started(group.id(), host, group.generation());
              }
              return p;
            });
    announce(group, host, placed, "draining");
    return placed != null;
  }

  /**
   * In the caller's transaction: the group as its next generation, placed elsewhere, its status
   * Repairing, and the old run ended.
   *
   * @param evenWithoutRoom without room anywhere, place it nowhere (it waits); else leave it be
   * @return the placement (host null when placed nowhere), or null when left as it was
   */
  private Placement asNewGeneration(
      ContainerGroup group,
      Instant now,
      boolean evenWithoutRoom,
      java.util.function.LongFunction<GroupEvent> why) {
    ContainerGroup moved =
        group.nextGeneration(
            group.spec(), group.location(), group.tags(), group.resourceDocument());
    GroupEvent reason = why.apply(moved.generation());
    Placement p;
    List<GroupEvent> events;
    try {
      p = placing.place(moved.id(), moved.spec(), null);
      events =
          GroupEvent.append(
              List.of(reason), GroupEvent.normal("Scheduled", "Placed on host " + p.hostId(), now));
    } catch (InsufficientCapacityException noRoom) {
      if (!evenWithoutRoom) {
        return null;
      }
      placements.release(moved.id());
      p = null;
      events = waitingForRoom(List.of(reason), noRoom, now);
    }
    store.update(moved);
    GroupStatus repairing =
        GroupStatus.accepted(moved, new Placement(null, null), now)
            .placedAt(p)
            .with(ProvisioningState.REPAIRING, GroupState.PENDING, events);
    // The old run ends here (billing stopped at a lost host's last answer already).
    metering.observed(moved, repairing, now, now);
    store.resetStatus(repairing);
    return p == null ? new Placement(null, null) : p;
  }

  private void announce(ContainerGroup group, String host, Placement placed, String why) {
    if (placed != null && placed.hostId() != null) {
      log.info(
          "group "
              + group.key().name()
              + " moved from "
              + why
              + " host "
              + host
              + " to "
              + placed.hostId());
      fleet.wakeOwner(placed.hostId(), group.id());
    }
  }

  private static List<GroupEvent> waitingForRoom(
      List<GroupEvent> events, InsufficientCapacityException noRoom, Instant now) {
    String message = "Waiting for room: " + noRoom.getMessage();
    if (!events.isEmpty() && events.get(events.size() - 1).message().equals(message)) {
      return events;
    }
    return GroupEvent.append(events, GroupEvent.warning("FailedScheduling", message, now));
  }
}
