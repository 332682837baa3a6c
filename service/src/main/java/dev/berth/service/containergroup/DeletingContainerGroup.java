package dev.berth.service.containergroup;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * DELETE of a group: records the wish (so a crash cannot lose it), then asks the reconciler to
 * carry it out now. When the group's host answers, the group is gone when this returns.
 */
public final class DeletingContainerGroup {

  private final ContainerGroupStore store;
  private final Predicate<UUID> reconcileNow;

  /**
   * @param reconcileNow runs one reconciler pass for the group and says whether the group is gone
   */
  public DeletingContainerGroup(ContainerGroupStore store, Predicate<UUID> reconcileNow) {
    this.store = store;
    this.reconcileNow = reconcileNow;
  }

  /** The outcome: the group as it was, and whether it is already gone. */
  public record Outcome(ContainerGroup group, GroupStatus lastStatus, boolean gone) {}

  /** Empty when there is no such group. */
  public Optional<Outcome> delete(GroupKey key) {
    Optional<ContainerGroup> found = store.find(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ContainerGroup group = found.get();
    if (group.desiredState() != DesiredState.DELETED) {
      group = group.withDesiredState(DesiredState.DELETED);
      store.update(group);
    }
    GroupStatus last = store.status(group.id()).orElse(null);
    boolean gone;
    try {
      gone = reconcileNow.test(group.id());
    } catch (RuntimeException hostNotAnswering) {
      // The wish is recorded; the reconciler finishes the delete once the host answers.
      gone = false;
    }
    return Optional.of(new Outcome(group, last, gone));
  }
}
