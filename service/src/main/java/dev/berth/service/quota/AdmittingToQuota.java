package dev.berth.service.quota;

import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.QuotaExceededException;
import dev.berth.service.containergroup.QuotaGate;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * Refuses a create that would pass the subscription's ContainerGroups or StandardCores quota, and
 * an update that raises a group's cores past StandardCores. The subscription's quota row is locked
 * first, in the caller's transaction, and the use is counted after the lock is held: a concurrent
 * admission of the same subscription (on any replica) waits for this transaction to end and then
 * counts the group it wrote. An update that does not raise cores is always admitted, so lowering a
 * quota below current use never blocks changes that do not add to it.
 */
public final class AdmittingToQuota implements QuotaGate {

  private final QuotaStore store;
  private final QuotaLimits defaults;

  public AdmittingToQuota(QuotaStore store, QuotaLimits defaults) {
    this.store = store;
    this.defaults = defaults;
  }

  @Override
  public void admit(GroupKey key, UUID groupId, GroupSpec previous, GroupSpec next) {
    long requestedMilli = next.requests().milliCpu();
    boolean raisesCores = previous == null || requestedMilli > previous.requests().milliCpu();
    if (!raisesCores) {
      return;
    }
    String subscription = key.subscriptionId();
    QuotaLimits limits = defaults.with(store.lockForAdmission(subscription));
    QuotaStore.Use use = store.use(subscription, groupId);
    if (previous == null && use.containerGroups() + 1 > limits.containerGroups()) {
      throw exceeded(
          Quota.CONTAINER_GROUPS,
          subscription,
          "containerGroupName",
          limits.containerGroups(),
          BigDecimal.valueOf(use.containerGroups()),
          BigDecimal.ONE);
    }
    if (use.milliCpu() + requestedMilli > limits.standardCores() * 1000L) {
      throw exceeded(
          Quota.STANDARD_CORES,
          subscription,
          "properties.containers",
          limits.standardCores(),
          cores(use.milliCpu()),
          cores(requestedMilli));
    }
  }

  private static BigDecimal cores(long milliCpu) {
    return BigDecimal.valueOf(milliCpu, 3).stripTrailingZeros();
  }

  /**
   * ACI's message for ContainerGroupQuotaReached, with Berth's subscription in place of a region.
   */
  private static QuotaExceededException exceeded(
      Quota quota,
      String subscription,
      String target,
      int limit,
      BigDecimal usage,
      BigDecimal requested) {
    return new QuotaExceededException(
        quota.aciName(),
        target,
        "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota '"
            + quota.aciName()
            + "' exceeded for subscription '"
            + subscription
            + "'. Limit: '"
            + limit
            + "', Usage: '"
            + usage.toPlainString()
            + "' Requested: '"
            + requested.toPlainString()
            + "'. Delete groups, or ask the operator to raise the quota.");
  }
}
