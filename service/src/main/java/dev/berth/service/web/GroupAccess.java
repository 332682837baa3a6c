package dev.berth.service.web;

import dev.berth.service.access.Principal;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;

/** Checks that the caller may act on a subscription and that a group's path names are valid. */
final class GroupAccess {

  private final GroupValidator validator;

  GroupAccess(GroupValidator validator) {
    this.validator = validator;
  }

  /** The group's key, once the caller may see its subscription and its names are valid. */
  GroupKey key(String subscriptionId, String resourceGroupName, String name) {
    subscription(subscriptionId);
    GroupKey key = new GroupKey(subscriptionId, resourceGroupName, name);
    var violations = validator.validateKey(key);
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return key;
  }

  /** Another tenant's subscription looks exactly like one that does not exist. */
  static void subscription(String subscriptionId) {
    Principal caller = CallerContext.principal();
    if (!caller.mayAccess(subscriptionId)) {
      throw new NotFoundException(
          "SubscriptionNotFound",
          "The subscription '" + subscriptionId + "' could not be found.",
          "subscriptionId");
    }
  }

  static NotFoundException groupNotFound(String resourceGroupName, String name) {
    return new NotFoundException(
        "ResourceNotFound",
        "The Resource '"
            + GroupView.TYPE
            + "/"
            + name
            + "' under resource group '"
            + resourceGroupName
            + "' was not found.",
        "containerGroupName");
  }
}
