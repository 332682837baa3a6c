package dev.berth.service.containergroup;

import java.util.UUID;

/**
 * Admits a group's creation, or an update of its spec, against its subscription's quotas, within
 * the caller's transaction: the check holds until that transaction ends, so concurrent writers of
 * one subscription (on any replica) are admitted one after the other.
 */
@FunctionalInterface
public interface QuotaGate {

  /** Admits everything: for tests and wiring without quotas. */
  QuotaGate NONE = (key, groupId, previous, next) -> {};

  /**
   * @param groupId the group being created or updated (excluded from the current use)
   * @param previous the spec the group has now, or null when it is being created
   * @param next the spec it is to have
   * @throws QuotaExceededException when the write would take the subscription past a quota
   */
  void admit(GroupKey key, UUID groupId, GroupSpec previous, GroupSpec next);
}
