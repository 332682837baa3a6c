package dev.berth.service.containergroup;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * POST stop: every container is stopped (and kept, for its logs) and the group's capacity is
 * released, so billing stops. Synchronous when the host answers, as in ACI.
 */
public final class StoppingContainerGroup {

  private final ContainerGroupStore store;
  private final Consumer<UUID> reconcileNow;

  public StoppingContainerGroup(ContainerGroupStore store, Consumer<UUID> reconcileNow) {
    this.store = store;
    this.reconcileNow = reconcileNow;
  }

  /**
   * @param stopped whether every container has stopped already (else it goes on in the background)
   */
  public record Outcome(ContainerGroup group, boolean stopped) {}

  /** Empty when there is no such group. */
  public Optional<Outcome> stop(GroupKey key) {
    Optional<ContainerGroup> found = store.find(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ContainerGroup group = found.get();
    if (group.desiredState() == DesiredState.DELETED) {
      throw new GroupConflictException(
          "ContainerGroupBeingDeleted",
          "The container group '" + key.name() + "' is being deleted.");
    }
    if (group.desiredState() != DesiredState.STOPPED) {
      group = group.withDesiredState(DesiredState.STOPPED);
      store.update(group);
    }
    try {
      reconcileNow.accept(group.id());
    } catch (RuntimeException hostNotAnswering) {
      // Recorded; the reconciler stops the containers once the host answers.
    }
    boolean stopped =
        store.status(group.id()).map(s -> s.state() == GroupState.STOPPED).orElse(false);
    return Optional.of(new Outcome(group, stopped));
  }
}
