package dev.berth.service.metering;

import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.UsageLedger;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.GroupStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reconciler's side of billing: tells the usage ledger when a run starts and ends, and
 * confirms, pass by pass, that a run still holds its resources.
 *
 * <p>A pass reports its observation in the transaction that saves the status, so a status never
 * says a run started or ended that the ledger has not heard of; a repeated report is absorbed by
 * the ledger. The first pass of a process reports every group once, whatever it remembers. What is
 * remembered here only saves repeated writes: the ledger is the record.
 *
 * <p>Confirmations go to {@link RunConfirmations}, which writes them to the run's row in batches:
 * the meter of any replica reads them there.
 */
public final class RunMetering {

  private final UsageLedger ledger;
  private final UsageFacts facts;
  private final RunConfirmations confirmations;
  private final Map<UUID, RunObservation> reported = new ConcurrentHashMap<>();

  public RunMetering(UsageLedger ledger, RunConfirmations confirmations, boolean billImagePull) {
    this.ledger = ledger;
    this.facts = new UsageFacts(billImagePull);
    this.confirmations = confirmations;
  }

  /**
   * Reports the run as {@code status} shows it, if that changed.
   *
   * @param askedAt when the pass began asking the host: the run held its resources then, if the
   *     status says it holds them now
   */
  public void observed(ContainerGroup group, GroupStatus status, Instant askedAt, Instant now) {
    RunObservation observation = facts.of(group, status, now);
    RunObservation last = reported.get(group.id());
    // A first generation that has not started has no run and no older run to close.
    boolean nothingToTell = observation.generation() == 1 && observation.startedAt() == null;
    if (!nothingToTell && (last == null || !sameRun(last, observation))) {
      ledger.record(observation);
      reported.put(group.id(), observation);
    }
    if (observation.startedAt() != null && observation.endedAt() == null) {
      confirmations.confirm(observation.runId(), askedAt);
    }
  }

  /**
   * The group's containers were seen on its host at {@code at} as its status says they run (a
   * sweep's listing, which passes no group that nothing changed): its run, as last reported, is
   * confirmed. A group not reported since this process started is confirmed by its first pass.
   */
  public void stillRunning(UUID groupId, Instant at) {
    RunObservation last = reported.get(groupId);
    if (last != null && last.startedAt() != null && last.endedAt() == null) {
      confirmations.confirm(last.runId(), at);
    }
  }

  /** What was reported for the group was rolled back: report it again next time. */
  public void notReported(UUID groupId) {
    reported.remove(groupId);
  }

  /**
   * The group is deleted, in the transaction that deletes it. A confirmation of its run still on
   * its way is harmless: the ledger does not confirm a run that ended.
   */
  public void deleted(UUID groupId, Instant at) {
    ledger.groupDeleted(groupId, at);
    reported.remove(groupId);
  }

  private static boolean sameRun(RunObservation a, RunObservation b) {
    return a.generation() == b.generation()
        && Objects.equals(a.startedAt(), b.startedAt())
        && Objects.equals(a.endedAt(), b.endedAt());
  }
}
