package dev.berth.service.quota;

import java.util.UUID;

/** Where quota overrides live and where a subscription's use is counted. */
public interface QuotaStore {

  /** A subscription's overrides of the configured limits; a null field keeps the default. */
  record Overrides(Integer containerGroups, Integer standardCores) {
    public static final Overrides NONE = new Overrides(null, null);
  }

  /**
   * What a subscription uses now.
   *
   * @param containerGroups groups that exist and are not being deleted
   * @param milliCpu the requests of their containers, in thousandths of a vCPU
   */
  record Use(long containerGroups, long milliCpu) {}

  /** The subscription's overrides, read without a lock. */
  Overrides overrides(String subscriptionId);

  /**
   * The subscription's overrides, with its quota row created if missing and locked until the
   * caller's transaction ends: the serialisation point of every admission for the subscription.
   */
  Overrides lockForAdmission(String subscriptionId);

  /** The subscription's use, not counting the group {@code excluding} (null: count every group). */
  Use use(String subscriptionId, UUID excluding);

  /** Replaces the subscription's overrides (null fields: back to the default). */
  void saveOverrides(String subscriptionId, Overrides overrides);
}
