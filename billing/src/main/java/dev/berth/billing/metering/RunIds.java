package dev.berth.billing.metering;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic ids: the same run or segment always gets the same id, so a write repeated after a
 * crash or a retry is absorbed by the primary key instead of counted twice.
 */
public final class RunIds {

  private RunIds() {}

  public static UUID run(UUID groupId, long generation) {
    return name("run/" + groupId + "/" + generation);
  }

  public static UUID segment(UUID runId, Instant start) {
    return name("segment/" + runId + "/" + start.getEpochSecond());
  }

  private static UUID name(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
