package dev.berth.billing.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One metering tick: every open run is advanced as far as can be vouched for, in batches, each
 * batch one transaction. A tick cut short by a crash leaves each run either advanced or not.
 */
public final class MeteringUsage {

  private final UsageLedger ledger;
  private final RunWitnesses witnesses;
  private final Meter meter;
  private final Clock clock;
  private final int batchSize;

  public MeteringUsage(
      UsageLedger ledger, RunWitnesses witnesses, Meter meter, Clock clock, int batchSize) {
    this.ledger = ledger;
    this.witnesses = witnesses;
    this.meter = meter;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /**
   * Meters every open run once.
   *
   * @return how many runs got new segments or a changed fault mark
   */
  public int tick() {
    int applied = 0;
    UUID after = null;
    Instant boundary = meter.boundaryAtOrBefore(clock.instant());
    // What the service vouches for, read once for the whole tick (the hosts' state is one query).
    RunWitnesses witnesses = this.witnesses.now();
    java.util.Set<String> silent = witnesses.silentHosts();
    while (true) {
      List<UsageRun> runs = ledger.dueRuns(boundary, silent, after, batchSize);
      if (runs.isEmpty()) {
        return applied;
      }
      Instant now = clock.instant();
      List<Meter.Advance> advances = new ArrayList<>();
      for (UsageRun run : runs) {
        Meter.Advance advance = meter.advance(run, witnesses.witness(run), now);
        if (advance.changed() || advance.run().closed()) {
          advances.add(advance);
        }
      }
      if (!advances.isEmpty()) {
        applied += ledger.apply(advances);
      }
      if (runs.size() < batchSize) {
        return applied;
      }
      after = runs.get(runs.size() - 1).runId();
    }
  }
}
