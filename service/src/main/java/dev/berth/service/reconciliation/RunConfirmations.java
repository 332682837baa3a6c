package dev.berth.service.reconciliation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a reconciler pass of this process last saw each group's run holding its resources: billing
 * bills a running run through that moment and no further. Kept in memory on purpose: after a
 * restart nothing is vouched for until a pass has looked again (which the engine's times then
 * cover, so no second is lost).
 */
public final class RunConfirmations {

  private record Confirmation(long generation, Instant at) {}

  private final Map<UUID, Confirmation> confirmations = new ConcurrentHashMap<>();

  void confirm(UUID groupId, long generation, Instant at) {
    confirmations.merge(
        groupId,
        new Confirmation(generation, at),
        (old, now) ->
            old.generation() == now.generation() && old.at().isAfter(now.at()) ? old : now);
  }

  void forget(UUID groupId) {
    confirmations.remove(groupId);
  }

  /** When the run of {@code generation} was last seen holding its resources, or null. */
  public Instant confirmedAt(UUID groupId, long generation) {
    Confirmation c = confirmations.get(groupId);
    return c == null || c.generation() != generation ? null : c.at();
  }
}
