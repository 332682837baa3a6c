package dev.berth.service.containergroup;

/** The outcome of the last operation on a group, in ACI's words. */
public enum ProvisioningState {
  /** Accepted; the reconciler has not acted on this generation yet. */
  PENDING("Pending"),
  /** The reconciler is creating and starting this generation's containers. */
  CREATING("Creating"),
  /** Every container of this generation was created and started. */
  SUCCEEDED("Succeeded"),
  /** This generation cannot be run as asked (image unavailable, spec refused by the engine). */
  FAILED("Failed"),
  /**
   * The group's host was lost: it is being placed again (or waits for room) and started as a new
   * generation elsewhere. Stays until every container of the new generation has started.
   */
  REPAIRING("Repairing"),
  /** A DELETE was accepted and the containers are being removed. */
  DELETING("Deleting");

  private final String aciName;

  ProvisioningState(String aciName) {
    this.aciName = aciName;
  }

  public String aciName() {
    return aciName;
  }
}
