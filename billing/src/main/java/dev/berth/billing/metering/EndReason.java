package dev.berth.billing.metering;

/** Why a run stopped holding resources. */
public enum EndReason {
  /** Every container ended under restart policy Never or OnFailure. */
  COMPLETED,
  /** The group was stopped. */
  STOPPED,
  /** The group was deleted. */
  DELETED,
  /** A new generation of the group (an update, or a start after a stop) took its place. */
  REPLACED,
  /** The group could not be kept running (for example its image could no longer be started). */
  FAILED
}
