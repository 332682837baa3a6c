package dev.berth.service.containergroup;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * POST restart: every container is stopped and started again in place (restartCount grows). A group
 * that is stopped or has finished gets a fresh run instead, as start would give it.
 */
public final class RestartingContainerGroup {

  private final ContainerGroupStore store;
  private final StartingContainerGroup starting;
  private final Consumer<UUID> reconcileNow;

  public RestartingContainerGroup(
      ContainerGroupStore store, StartingContainerGroup starting, Consumer<UUID> reconcileNow) {
    this.store = store;
    this.starting = starting;
    this.reconcileNow = reconcileNow;
  }

  /**
   * @param freshRun the group was idle and got a fresh run (a new generation) instead
   * @param done whether every container has been restarted already
   */
  public record Outcome(ContainerGroup group, boolean freshRun, boolean done) {}

  /** Empty when there is no such group. */
  public Optional<Outcome> restart(GroupKey key) {
    Optional<ContainerGroup> found = store.find(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ContainerGroup group = found.get();
    Optional<GroupStatus> status = store.status(group.id());
    boolean idle =
        group.desiredState() != DesiredState.RUNNING
            || status
                .map(
                    s ->
                        s.state().isTerminal() || s.provisioningState() == ProvisioningState.FAILED)
                .orElse(true);
    if (idle) {
      return starting.start(key).map(o -> new Outcome(o.group(), true, false));
    }
    ContainerGroup restarting = group.withRestartRequested();
    store.update(restarting);
    try {
      reconcileNow.accept(group.id());
    } catch (RuntimeException hostNotAnswering) {
      // Recorded; the reconciler restarts the containers once the host answers.
    }
    boolean done =
        store
            .status(group.id())
            .map(s -> s.appliedRestartEpoch() >= restarting.restartEpoch())
            .orElse(false);
    return Optional.of(new Outcome(restarting, false, done));
  }
}
