package dev.berth.service.reconciliation;

import java.time.Instant;

/**
 * One thing a probe found of a container's run.
 *
 * @param container the container's name in the group
 * @param run the start time of the run it concerns; a finding about an earlier run is dropped
 * @param at when it was found
 * @param message what failed (for the {@code Unhealthy} event), or null
 */
public record ProbeFinding(String container, Instant run, Type type, Instant at, String message) {

  /** What was found. */
  public enum Type {
    /** One liveness check failed. */
    LIVENESS_CHECK_FAILED,
    /** One readiness check failed. */
    READINESS_CHECK_FAILED,
    /** The readiness probe passed its success threshold: the container is ready. */
    BECAME_READY,
    /** The readiness probe reached its failure threshold: the container is not ready. */
    BECAME_UNREADY,
    /** The liveness probe reached its failure threshold: the run must be killed. */
    LIVENESS_FAILED
  }
}
