package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.host.HostRegistry;
import dev.berth.service.host.HostRuntimes;
import dev.berth.service.host.RegisteredHost;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Drains hosts, as Nomad does: one group at a time is started on another host and seen Running
 * there before its old copy stops; groups that finished stay. Past the deadline whatever is left is
 * stopped and placed again at once. When nothing holds room on the host it stays cordoned. Every
 * step is decided from the database, so the drain goes on whichever replica owns the host.
 */
public final class DrainingHosts {

  private static final Logger log = Logger.getLogger(DrainingHosts.class.getName());

  private final HostRegistry registry;
  private final ContainerGroupStore store;
  private final GroupMoves moves;
  private final MovingGroups moving;
  private final HostRuntimes hosts;
  private final Clock clock;
  private final Duration stopGrace;
  private final Duration minHealthyTime;

  public DrainingHosts(
      HostRegistry registry,
      ContainerGroupStore store,
      GroupMoves moves,
      MovingGroups moving,
      HostRuntimes hosts,
      Clock clock,
      Duration stopGrace,
      Duration minHealthyTime) {
    this.registry = registry;
    this.store = store;
    this.moves = moves;
    this.moving = moving;
    this.hosts = hosts;
    this.clock = clock;
    this.stopGrace = stopGrace;
    this.minHealthyTime = minHealthyTime;
  }

  /** One step of the drain of a host this replica owns (a no-op when it is not draining). */
  public void step(RegisteredHost host) {
    Instant now = clock.instant();
    boolean pastDeadline =
        host.drain() != null
            && host.drain().deadline() != null
            && !now.isBefore(host.drain().deadline());
    Optional<GroupMoves.Move> underway = moves.from(host.id());
    if (underway.isPresent()) {
      finishIfStarted(host, underway.get(), pastDeadline);
      return;
    }
    List<HostRegistry.GroupOnHost> left =
        registry.groupsOn(host.id()).stream()
            .filter(g -> !g.reserved().equals(Resources.NONE))
            .sorted(Comparator.comparing(g -> g.key().toString()))
            .toList();
    if (left.isEmpty()) {
      registry.drainFinished(host.id());
      log.info("host " + host.id() + " is drained: it stays cordoned");
      return;
    }
    for (HostRegistry.GroupOnHost g : left) {
      Optional<ContainerGroup> group = store.findById(g.id());
      if (group.isEmpty()) {
        continue;
      }
      boolean moved = moving.moveOffDrainingHost(group.get(), host.id(), pastDeadline);
      if (moved && pastDeadline) {
        stopOldCopy(host.id(), new GroupMoves.Move(g.id(), host.id(), group.get().generation()));
      } else if (moved) {
        // One at a time: the next moves once this one runs elsewhere.
        return;
      }
    }
  }

  /**
   * The move under way is finished once every container of the new copy has run for the minimum
   * healthy time (Nomad's min_healthy_time), or the new copy ended; then the old one stops.
   */
  private void finishIfStarted(RegisteredHost host, GroupMoves.Move move, boolean pastDeadline) {
    Optional<GroupStatus> status = store.status(move.groupId());
    Instant healthySince = clock.instant().minus(minHealthyTime);
    boolean newCopyReady =
        status
            .map(
                s ->
                    s.observedGeneration() > move.fromGeneration()
                        && ((s.state() == GroupState.RUNNING
                                && s.provisioningState() == ProvisioningState.SUCCEEDED
                                && runningSince(s, healthySince))
                            || !GroupPlanner.holdsCapacity(s)))
            .orElse(true);
    if (!newCopyReady && !pastDeadline) {
      return;
    }
    stopOldCopy(host.id(), move);
    moves.finished(move.groupId());
  }

  private static boolean runningSince(GroupStatus status, Instant healthySince) {
    return status.containers().stream()
        .allMatch(
            c ->
                c.currentState().state() == ContainerState.Kind.RUNNING
                    && c.currentState().startTime() != null
                    && !c.currentState().startTime().isAfter(healthySince));
  }

  private void stopOldCopy(String hostId, GroupMoves.Move move) {
    ContainerRuntime runtime = hosts.forHost(hostId);
    List<ManagedContainer> old =
        runtime.listManaged(
            Map.of(
                Labels.GROUP_ID, move.groupId().toString(),
                Labels.GENERATION, Long.toString(move.fromGeneration())));
    // The sandbox last, so the containers keep their network until they have stopped.
    List<ManagedContainer> ordered =
        old.stream()
            .sorted(
                Comparator.comparing(
                    c -> LaunchSpecs.SANDBOX.equals(c.labels().get(Labels.CONTAINER))))
            .toList();
    for (ManagedContainer c : ordered) {
      runtime.stop(c.id(), stopGrace);
      runtime.remove(c.id());
    }
    log.info("stopped the old copy of group " + move.groupId() + " on draining host " + hostId);
  }
}
