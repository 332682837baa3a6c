package dev.berth.service.reconciliation;

import dev.berth.billing.metering.EngineRecords;
import dev.berth.billing.metering.UsageRun;
import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Labels;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.host.HostRuntimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a finished run's times again from its host: the containers of its generation (not the
 * sandbox, which only holds the network), while they still exist and have all finished.
 */
public final class EngineRecordsOnHosts implements EngineRecords {

  private final HostRuntimes hosts;

  public EngineRecordsOnHosts(HostRuntimes hosts) {
    this.hosts = hosts;
  }

  @Override
  public Optional<EngineSpan> of(UsageRun run) {
    if (run.hostId() == null) {
      return Optional.empty();
    }
    try {
      ContainerRuntime runtime = hosts.forHost(run.hostId());
      List<ContainerObservation> seen = new ArrayList<>();
      for (ManagedContainer c :
          runtime.listManaged(
              Map.of(
                  Labels.GROUP_ID, run.groupId().toString(),
                  Labels.GENERATION, Long.toString(run.generation())))) {
        if (!LaunchSpecs.SANDBOX.equals(c.labels().get(Labels.CONTAINER))) {
          runtime.inspect(c.id()).ifPresent(seen::add);
        }
      }
      if (seen.isEmpty()
          || seen.stream().anyMatch(o -> o.startedAt() == null || o.finishedAt() == null)) {
        return Optional.empty();
      }
      Instant first =
          seen.stream().map(ContainerObservation::startedAt).min(Instant::compareTo).get();
      Instant last =
          seen.stream().map(ContainerObservation::finishedAt).max(Instant::compareTo).get();
      return Optional.of(new EngineSpan(first, last));
    } catch (RuntimeFailure unreachable) {
      return Optional.empty();
    }
  }
}
