package dev.berth.billing.api;

import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.rating.Price;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Read side of the ledger. */
public interface UsageQueries {

  /** Every run of a group, oldest first. */
  List<UsageRun> runsOfGroup(UUID groupId);

  /**
   * Every run of every group that had this name (names are case-insensitive), oldest first: a group
   * deleted and created again keeps its history.
   */
  List<UsageRun> runsOfGroupNamed(String subscriptionId, String resourceGroup, String name);

  /** Subscriptions with any usage. */
  List<String> subscriptions();

  /** A subscription's runs that are not closed. */
  List<UsageRun> openRuns(String subscriptionId);

  /** Each run's metered segments summed per price and billability. */
  Map<UUID, List<Quantity>> quantitiesByRun(List<UUID> runIds);

  /**
   * A subscription's billable segments starting in {@code [from, to)}, summed per bucket, resource
   * group, group name and price.
   */
  List<BucketQuantity> bucketed(String subscriptionId, Instant from, Instant to, Granularity g);

  /**
   * Every subscription's metered usage so far (what the ledger holds, not what accrues beyond a
   * running run's cursor), one row each, whatever the ledger's size.
   */
  List<SubscriptionTotals> totals();

  /**
   * @param cost what the billed seconds cost in the billing currency, exact
   */
  record SubscriptionTotals(
      String subscriptionId,
      long billedSeconds,
      long unbilledSeconds,
      long milliCpuSeconds,
      long mibSeconds,
      dev.berth.billing.rating.Money cost) {}

  /** Every price of every currency. */
  List<Price> prices();

  /** A bucket's quantity of one group. */
  record BucketQuantity(
      Instant bucket, String resourceGroup, String groupName, Quantity quantity) {}
}
