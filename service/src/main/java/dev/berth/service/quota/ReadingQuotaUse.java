package dev.berth.service.quota;

import java.util.List;

/** A subscription's use of each quota against its limit: what {@code .../usages} answers. */
public final class ReadingQuotaUse {

  private final QuotaStore store;
  private final QuotaLimits defaults;

  public ReadingQuotaUse(QuotaStore store, QuotaLimits defaults) {
    this.store = store;
    this.defaults = defaults;
  }

  /**
   * One quota's use.
   *
   * @param current for StandardCores the requested vCPU rounded up to a whole core (ACI's field is
   *     an integer; rounding up never shows room that is not there)
   */
  public record Line(Quota quota, long current, int limit) {}

  public List<Line> read(String subscriptionId) {
    QuotaLimits limits = limits(subscriptionId);
    QuotaStore.Use use = store.use(subscriptionId, null);
    return List.of(
        new Line(Quota.CONTAINER_GROUPS, use.containerGroups(), limits.containerGroups()),
        new Line(
            Quota.STANDARD_CORES, -Math.floorDiv(-use.milliCpu(), 1000L), limits.standardCores()));
  }

  /** The subscription's overrides of the configured defaults. */
  public QuotaStore.Overrides overrides(String subscriptionId) {
    return store.overrides(subscriptionId);
  }

  /** The limits in force for the subscription: its overrides over the configured defaults. */
  public QuotaLimits limits(String subscriptionId) {
    return defaults.with(store.overrides(subscriptionId));
  }
}
