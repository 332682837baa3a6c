package dev.berth.billing.metering;

/** Why a stretch of a run's time is what it is, and whether it is billed. */
public enum SegmentReason {
  /** The group held its resources: billed. */
  HELD(true),
  /** The group's host did not answer: never billed (a platform fault is not the customer's). */
  HOST_UNREACHABLE(false);

  private final boolean billable;

  SegmentReason(boolean billable) {
    this.billable = billable;
  }

  public boolean billable() {
    return billable;
  }
}
