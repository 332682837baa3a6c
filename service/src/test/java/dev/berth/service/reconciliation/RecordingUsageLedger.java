package dev.berth.service.reconciliation;

import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.UsageLedger;
import dev.berth.billing.metering.UsageRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the reconciler reports to billing, for scenario tests to look at. */
final class RecordingUsageLedger implements UsageLedger {

  final List<RunObservation> observations = new CopyOnWriteArrayList<>();
  final Map<UUID, Instant> deleted = new ConcurrentHashMap<>();
  final Map<UUID, Instant> confirmed = new ConcurrentHashMap<>();

  @Override
  public void record(RunObservation observation) {
    observations.add(observation);
  }

  @Override
  public void confirmed(Map<UUID, Instant> heldAt) {
    heldAt.forEach((run, at) -> confirmed.merge(run, at, (a, b) -> a.isAfter(b) ? a : b));
  }

  @Override
  public void groupDeleted(UUID groupId, Instant at) {
    deleted.put(groupId, at);
  }

  @Override
  public List<UsageRun> dueRuns(
      Instant boundary, java.util.Set<String> silentHosts, UUID afterRunId, int limit) {
    return List.of();
  }

  @Override
  public int apply(List<Meter.Advance> advances) {
    return 0;
  }

  RunObservation last(UUID groupId) {
    return observations.stream()
        .filter(o -> o.groupId().equals(groupId))
        .reduce((a, b) -> b)
        .orElseThrow();
  }
}
