package dev.berth.service.metering;

import dev.berth.billing.metering.UsageLedger;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confirmations that runs still hold their resources, on their way to the ledger: each reconciler
 * pass of a running group confirms its run, as does each sweep that finds its containers running on
 * its host, and {@link #flush()} writes what has gathered since the last flush as one batch (one
 * transaction) instead of one write per pass.
 *
 * <p>What waits here is not a rule of correctness: the meter bills a running run only through its
 * last <em>recorded</em> confirmation, so a confirmation lost with this process delays billing by a
 * flush interval and never bills a second nobody saw; the run's end, from the engine, covers the
 * rest.
 */
public final class RunConfirmations {

  private final UsageLedger ledger;
  private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();

  public RunConfirmations(UsageLedger ledger) {
    this.ledger = ledger;
  }

  /** The run was seen holding its resources at {@code at}; a later confirmation wins. */
  void confirm(UUID runId, Instant at) {
    pending.merge(runId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /**
   * Writes the confirmations gathered so far. When the write fails they are kept for the next flush
   * (unless a later one for the same run came meanwhile) and the failure is thrown.
   *
   * @return how many runs were confirmed
   */
  public int flush() {
    Map<UUID, Instant> batch = new java.util.HashMap<>();
    for (UUID runId : pending.keySet()) {
      Instant at = pending.remove(runId);
      if (at != null) {
        batch.put(runId, at);
      }
    }
    try {
      ledger.confirmed(batch);
    } catch (RuntimeException notWritten) {
      batch.forEach(this::confirm);
      throw notWritten;
    }
    return batch.size();
  }
}
