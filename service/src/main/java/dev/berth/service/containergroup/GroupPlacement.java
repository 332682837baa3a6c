package dev.berth.service.containergroup;

import java.util.UUID;

/**
 * Reserves room for a group on a host, within the caller's transaction: the port through which the
 * use cases reach the scheduler.
 */
@FunctionalInterface
public interface GroupPlacement {

  /**
   * @param preferredHostId where its containers last lived, tried first when it has room, or null
   * @return the chosen host, and the address the group's ports are published on
   * @throws RuntimeException (the scheduler's InsufficientCapacityException) when no host has room
   */
  Placement place(UUID groupId, GroupSpec spec, String preferredHostId);
}
