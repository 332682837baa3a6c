package dev.berth.service.containergroup;

import java.util.Locale;

/**
 * Where a group lives in ARM's hierarchy. Subscription and resource group names compare without
 * regard to case, as in Azure; the group name is lowercase by rule.
 */
public record GroupKey(String subscriptionId, String resourceGroup, String name) {

  public GroupKey {
    subscriptionId = subscriptionId.toLowerCase(Locale.ROOT);
    resourceGroup = resourceGroup.toLowerCase(Locale.ROOT);
  }

  /** The ARM resource id. */
  public String resourceId() {
    return "/subscriptions/"
        + subscriptionId
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.ContainerInstance/containerGroups/"
        + name;
  }
}
