package dev.berth.service.web;

import dev.berth.api.server.LocationApi;
import dev.berth.api.server.model.Capabilities;
import dev.berth.api.server.model.CapabilitiesCapabilities;
import dev.berth.api.server.model.CapabilitiesListResult;
import dev.berth.service.containergroup.GroupLimits;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.scheduling.HostCapacity;
import dev.berth.service.scheduling.PlacementStore;
import java.util.Comparator;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** What one group may ask for: the configured maxima, bounded by the largest host. */
@RestController
public class LocationController implements LocationApi {

  private final GroupLimits limits;
  private final PlacementStore placements;
  private final dev.berth.service.quota.ReadingQuotaUse quotaUse;

  public LocationController(
      GroupLimits limits,
      PlacementStore placements,
      dev.berth.service.quota.ReadingQuotaUse quotaUse) {
    this.limits = limits;
    this.placements = placements;
    this.quotaUse = quotaUse;
  }

  /** ACI's Location_ListUsage: the subscription's use of each quota against its limit. */
  @Override
  public ResponseEntity<dev.berth.api.server.model.UsageListResult> locationListUsage(
      String subscriptionId, String location, String apiVersion) {
    checkAccess(subscriptionId, apiVersion);
    var result = new dev.berth.api.server.model.UsageListResult();
    for (var line : quotaUse.read(subscriptionId)) {
      result.addValueItem(
          new dev.berth.api.server.model.Usage()
              .id(line.quota().aciName())
              .unit("Count")
              .currentValue((int) Math.min(Integer.MAX_VALUE, line.current()))
              .limit(line.limit())
              .name(
                  new dev.berth.api.server.model.UsageName()
                      .value(line.quota().aciName())
                      .localizedValue(line.quota().localizedName())));
    }
    return ResponseEntity.ok(result);
  }

  @Override
  public ResponseEntity<CapabilitiesListResult> locationListCapabilities(
      String subscriptionId, String location, String apiVersion) {
    checkAccess(subscriptionId, apiVersion);
    Resources largestHost =
        placements.capacitiesExcluding(new UUID(0, 0)).stream()
            .filter(HostCapacity::schedulable)
            .map(HostCapacity::allocatable)
            .max(
                Comparator.comparingLong(Resources::milliCpu)
                    .thenComparingLong(Resources::memoryMiB))
            .orElse(Resources.NONE);
    Resources max = limits.maxGroupResources();
    double maxCpu = Math.min(max.cpu(), largestHost.cpu());
    double maxMemory = Math.min(max.memoryInGb(), largestHost.memoryInGb());
    return ResponseEntity.ok(
        new CapabilitiesListResult()
            .addValueItem(
                new Capabilities()
                    .resourceType("containerGroups")
                    .osType("Linux")
                    .location(location)
                    .ipAddressType("Private")
                    .gpu("None")
                    .capabilities(
                        new CapabilitiesCapabilities()
                            .maxCpu(maxCpu)
                            .maxMemoryInGB(maxMemory)
                            .maxGpuCount(0.0))));
  }

  /** A subscription the caller's key may not see is absent. */
  private static void checkAccess(String subscriptionId, String apiVersion) {
    ApiVersions.check(apiVersion);
    if (!CallerContext.principal().mayAccess(subscriptionId)) {
      throw new NotFoundException(
          "SubscriptionNotFound",
          "The subscription '" + subscriptionId + "' could not be found.",
          "subscriptionId");
    }
  }
}
