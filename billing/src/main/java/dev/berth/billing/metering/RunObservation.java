package dev.berth.billing.metering;

import java.time.Instant;
import java.util.UUID;

/**
 * What a reconciler pass saw of a group's current run, reported to the ledger whenever it changes.
 * Repeating one is harmless: the ledger keeps the first start and the first end it is told of.
 *
 * @param startedAt the engine's StartedAt of the generation's first container, or null while none
 *     has started (pulling an image is not billed)
 * @param endedAt when the run stopped holding resources (engine time), or null while it holds them
 * @param observedAt when the pass made the observation; runs of older generations still open are
 *     closed at this time (their containers were removed before the new ones started)
 */
public record RunObservation(
    UUID groupId,
    String subscriptionId,
    String resourceGroup,
    String groupName,
    long generation,
    String hostId,
    long milliCpu,
    long memoryMiB,
    Instant startedAt,
    Instant endedAt,
    EndReason endReason,
    Instant observedAt) {

  public UUID runId() {
    return RunIds.run(groupId, generation);
  }
}
