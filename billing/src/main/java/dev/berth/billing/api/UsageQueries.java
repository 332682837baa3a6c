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

  /** Every price of every currency. */
  List<Price> prices();

  /** A bucket's quantity of one group. */
  record BucketQuantity(
      Instant bucket, String resourceGroup, String groupName, Quantity quantity) {}
}
