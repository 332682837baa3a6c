package dev.berth.billing.metering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The durable record of runs and segments. Every method is one transaction; each is idempotent. */
public interface UsageLedger {

  /**
   * Records what a pass saw: closes the group's open runs of older generations, opens this run once
   * it has started, and ends it once it has ended.
   */
  void record(RunObservation observation);

  /**
   * Records that reconciler passes saw these runs holding their resources, each at the time given
   * (the moment the pass began asking the host). A run's confirmation only moves forward; runs that
   * ended or are not in the ledger are left alone. One transaction for all.
   */
  void confirmed(java.util.Map<UUID, Instant> heldAt);

  /** The group is gone: its open runs end at {@code at}. */
  void groupDeleted(UUID groupId, Instant at);

  /**
   * Runs not closed yet that may have something to meter: ended, marked faulty, on a silent host,
   * or with a cursor before {@code boundary}. At most {@code limit}, after {@code afterRunId}
   * (null: from the first). Between boundaries, when nothing ends, this is empty and a tick costs
   * one indexed query.
   */
  List<UsageRun> dueRuns(
      Instant boundary, java.util.Set<String> silentHosts, UUID afterRunId, int limit);

  /**
   * Writes the segments and moves each run's cursor in the same transaction, only where the cursor
   * is still where the advance found it.
   *
   * @return how many advances were applied (the rest lost a race and are retried next time)
   */
  int apply(List<Meter.Advance> advances);
}
