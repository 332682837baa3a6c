package dev.berth.service.metering;

import java.time.Instant;
import java.util.Map;

/**
 * Whether each host answers, as the fleet records it in PostgreSQL (the owning replica's pings), so
 * the meter on any replica sees what the replica that talks to the host saw.
 */
@FunctionalInterface
public interface HostAnswerRecords {

  /**
   * @param silentSince the host's last answer before it stopped answering, or null while it answers
   * @param answeredAgainAt when it answered after it last did not answer, or null
   */
  record HostAnswer(Instant silentSince, Instant answeredAgainAt) {}

  /** Every host's record, by host id, read at once. */
  Map<String, HostAnswer> all();
}
