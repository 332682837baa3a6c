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

  public LocationController(GroupLimits limits, PlacementStore placements) {
    this.limits = limits;
    this.placements = placements;
  }

  @Override
  public ResponseEntity<CapabilitiesListResult> locationListCapabilities(
      String subscriptionId, String location, String apiVersion) {
    ApiVersions.check(apiVersion);
    if (!CallerContext.principal().mayAccess(subscriptionId)) {
      throw new NotFoundException(
          "SubscriptionNotFound",
          "The subscription '" + subscriptionId + "' could not be found.",
          "subscriptionId");
    }
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
}
