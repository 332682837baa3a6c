package dev.berth.service.containergroup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * PUT of a group: validates, then in one transaction writes the desired state, reserves capacity on
 * a host and resets the observed state for the new generation. Starting the containers is the
 * reconciler's job; it is told at once.
 */
public final class CreatingContainerGroup {

  private final ContainerGroupStore store;
  private final GroupPlacement placing;
  private final GroupValidator validator;
  private final Transactions transactions;
  private final GroupChanged changed;
  private final Clock clock;
  private final QuotaGate quotas;

  public CreatingContainerGroup(
      ContainerGroupStore store,
      GroupPlacement placing,
      GroupValidator validator,
      Transactions transactions,
      GroupChanged changed,
      Clock clock) {
    this(store, placing, validator, transactions, changed, clock, QuotaGate.NONE);
  }

  /** With the subscription's quotas checked in the transaction that writes the group. */
  public CreatingContainerGroup(
      ContainerGroupStore store,
      GroupPlacement placing,
      GroupValidator validator,
      Transactions transactions,
      GroupChanged changed,
      Clock clock,
      QuotaGate quotas) {
    this.quotas = quotas;
    this.store = store;
    this.placing = placing;
    this.validator = validator;
    this.transactions = transactions;
    this.changed = changed;
    this.clock = clock;
  }

  /** What the client sent, already mapped from the API's shape. */
  public record Request(
      GroupKey key,
      String location,
      Map<String, String> tags,
      GroupSpec spec,
      String resourceDocument) {}

  /**
   * The group as stored, and whether the PUT created it.
   *
   * @param status the status the PUT wrote (a new or replaced group is Pending again); null when
   *     only its tags changed and its status is as it was
   */
  public record Outcome(ContainerGroup group, boolean created, GroupStatus status) {}

  public Outcome createOrReplace(Request request) {
    List<Violation> violations = new ArrayList<>(validator.validateKey(request.key()));
    violations.addAll(validator.validateSpec(request.spec()));
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    Outcome outcome = transactions.inTransaction(() -> apply(request));
    changed.groupChanged(outcome.group().id());
    return outcome;
  }

  private Outcome apply(Request request) {
    var existing = store.find(request.key());
    if (existing.isEmpty()) {
      ContainerGroup group =
          new ContainerGroup(
              UUID.randomUUID(),
              request.key(),
              request.location(),
              request.tags(),
              request.spec(),
              1,
              DesiredState.RUNNING,
              request.resourceDocument(),
              clock.instant(),
              0);
      quotas.admit(request.key(), group.id(), null, group.spec());
      Placement host = placing.place(group.id(), group.spec(), null);
      GroupStatus accepted = GroupStatus.accepted(group, host, clock.instant());
      store.insert(group, accepted);
      return new Outcome(group, true, accepted);
    }
    ContainerGroup current = existing.get();
    if (current.desiredState() == DesiredState.DELETED) {
      throw new GroupConflictException(
          "ContainerGroupBeingDeleted",
          "The container group '"
              + request.key().name()
              + "' is being deleted; retry once the DELETE has finished.");
    }
    if (current.spec().equals(request.spec()) && current.desiredState() == DesiredState.RUNNING) {
      ContainerGroup updated = current.withTags(request.tags(), request.resourceDocument());
      store.update(updated);
      return new Outcome(updated, false, null);
    }
    VolumeChanges.check(current.spec(), request.spec());
    ContainerGroup replaced =
        current.nextGeneration(
            request.spec(), request.location(), request.tags(), request.resourceDocument());
    quotas.admit(request.key(), current.id(), current.spec(), replaced.spec());
    // Preferably where its containers live; elsewhere the orphan collector removes the old ones.
    String currentHost = store.status(current.id()).map(GroupStatus::hostId).orElse(null);
    Placement host = placing.place(replaced.id(), replaced.spec(), currentHost);
    store.update(replaced);
    GroupStatus accepted = GroupStatus.accepted(replaced, host, clock.instant());
    store.resetStatus(accepted);
    return new Outcome(replaced, false, accepted);
  }
}
