package dev.berth.service.quota;

/** The admin's overrides of a subscription's quotas. */
public final class ChangingQuotas {

  private final QuotaStore store;
  private final ReadingQuotaUse reading;

  public ChangingQuotas(QuotaStore store, ReadingQuotaUse reading) {
    this.store = store;
    this.reading = reading;
  }

  /**
   * Sets the subscription's overrides (a null field goes back to the configured default). A limit
   * below the current use refuses new groups and more cores; existing groups keep running.
   *
   * @return the limits now in force
   */
  public QuotaLimits set(String subscriptionId, QuotaStore.Overrides overrides) {
    store.saveOverrides(subscriptionId, overrides);
    return reading.limits(subscriptionId);
  }
}
