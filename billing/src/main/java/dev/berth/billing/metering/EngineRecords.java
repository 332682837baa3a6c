package dev.berth.billing.metering;

import java.time.Instant;
import java.util.Optional;

/** The engine's own record of a finished run, read again when the run is checked. */
@FunctionalInterface
public interface EngineRecords {

  /**
   * @param firstStartedAt the earliest StartedAt of the run's containers (a container started again
   *     reports its last start, so this can only be later than the run's true start)
   * @param lastFinishedAt the latest FinishedAt of the run's containers
   */
  record EngineSpan(Instant firstStartedAt, Instant lastFinishedAt) {}

  /** The run's span as the engine reports it now; empty when its containers are gone. */
  Optional<EngineSpan> of(UsageRun run);
}
