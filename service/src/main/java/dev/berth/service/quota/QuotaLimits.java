package dev.berth.service.quota;

/**
 * A subscription's limits.
 *
 * @param containerGroups how many container groups may exist
 * @param standardCores how many vCPU their containers may request in all
 */
public record QuotaLimits(int containerGroups, int standardCores) {

  public QuotaLimits {
    if (containerGroups < 0 || standardCores < 0) {
      throw new IllegalArgumentException("quota limits cannot be negative");
    }
  }

  /** These limits with a subscription's overrides (null: keep this one). */
  public QuotaLimits with(QuotaStore.Overrides overrides) {
    return new QuotaLimits(
        overrides.containerGroups() == null ? containerGroups : overrides.containerGroups(),
        overrides.standardCores() == null ? standardCores : overrides.standardCores());
  }
}
