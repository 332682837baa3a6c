package dev.berth.service.containergroup;

import java.time.Clock;
import java.util.Optional;

/**
 * POST start: a fresh run of the same spec (a new generation), placed again (on its last host when
 * that has room, else on any), as ACI does after stop. A group that is already running is left as
 * it is.
 */
public final class StartingContainerGroup {

  private final ContainerGroupStore store;
  private final GroupPlacement placing;
  private final Transactions transactions;
  private final GroupChanged changed;
  private final Clock clock;

  public StartingContainerGroup(
      ContainerGroupStore store,
      GroupPlacement placing,
      Transactions transactions,
      GroupChanged changed,
      Clock clock) {
    this.store = store;
    this.placing = placing;
    this.transactions = transactions;
    this.changed = changed;
    this.clock = clock;
  }

  /**
   * @param started false when the group was running already
   */
  public record Outcome(ContainerGroup group, boolean started) {}

  /** Empty when there is no such group. */
  public Optional<Outcome> start(GroupKey key) {
    Optional<Outcome> outcome =
        transactions.inTransaction(() -> store.find(key).map(this::startIfIdle));
    outcome.filter(Outcome::started).ifPresent(o -> changed.groupChanged(o.group().id()));
    return outcome;
  }

  private Outcome startIfIdle(ContainerGroup group) {
    if (group.desiredState() == DesiredState.DELETED) {
      throw new GroupConflictException(
          "ContainerGroupBeingDeleted",
          "The container group '" + group.key().name() + "' is being deleted.");
    }
    Optional<GroupStatus> status = store.status(group.id());
    boolean live =
        group.desiredState() == DesiredState.RUNNING
            && status
                .map(
                    s ->
                        !s.state().isTerminal()
                            && s.provisioningState() != ProvisioningState.FAILED)
                .orElse(false);
    if (live) {
      return new Outcome(group, false);
    }
    ContainerGroup fresh =
        group.nextGeneration(
            group.spec(), group.location(), group.tags(), group.resourceDocument());
    String lastHost = status.map(GroupStatus::hostId).orElse(null);
    Placement host = placing.place(fresh.id(), fresh.spec(), lastHost);
    store.update(fresh);
    store.resetStatus(GroupStatus.accepted(fresh, host, clock.instant()));
    return new Outcome(fresh, true);
  }
}
