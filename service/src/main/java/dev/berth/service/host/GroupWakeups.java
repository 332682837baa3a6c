package dev.berth.service.host;

import java.util.UUID;

/** Tells the replica that owns a host that one of its groups needs a pass now. */
@FunctionalInterface
public interface GroupWakeups {
  void wake(String hostId, UUID groupId);
}
