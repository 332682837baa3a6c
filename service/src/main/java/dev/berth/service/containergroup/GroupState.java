package dev.berth.service.containergroup;

/** What the group as a whole is doing (ACI's instanceView.state). */
public enum GroupState {
  /** Not every container has started yet. */
  PENDING("Pending"),
  /** Every container has started and at least one runs or will be restarted. */
  RUNNING("Running"),
  /** Stopped by the user; no capacity is held. */
  STOPPED("Stopped"),
  /** Every container terminated with exit code 0 and none will restart. */
  SUCCEEDED("Succeeded"),
  /** The group cannot run, or a container terminated with an error and will not restart. */
  FAILED("Failed");

  private final String aciName;

  GroupState(String aciName) {
    this.aciName = aciName;
  }

  public String aciName() {
    return aciName;
  }

  /** Terminal states release the group's capacity. */
  public boolean isTerminal() {
    return this == STOPPED || this == SUCCEEDED || this == FAILED;
  }
}
