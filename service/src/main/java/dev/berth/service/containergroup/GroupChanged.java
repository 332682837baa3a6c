package dev.berth.service.containergroup;

import java.util.UUID;

/**
 * Told when a group's desired state changed, so the reconciler looks at it now, not at the next
 * sweep.
 */
@FunctionalInterface
public interface GroupChanged {
  void groupChanged(UUID groupId);
}
