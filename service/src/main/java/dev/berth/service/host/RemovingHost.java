package dev.berth.service.host;

/**
 * DELETE of a host. Refused while groups hold room there; with force the host is treated as lost
 * (its groups are placed again per their restart policy) and removed once they have left.
 */
public final class RemovingHost {

  private final HostRegistry registry;
  private final HostPool pool;
  private final java.util.function.Consumer<String> hostChanged;

  public RemovingHost(
      HostRegistry registry, HostPool pool, java.util.function.Consumer<String> hostChanged) {
    this.registry = registry;
    this.pool = pool;
    this.hostChanged = hostChanged;
  }

  /**
   * @return true when the host is gone now; false when it is being removed (force) and goes once
   *     its groups have moved
   * @throws HostNotEmpty without force, while groups hold room on it
   */
  public boolean remove(String hostId, boolean force) {
    if (registry.find(hostId).isEmpty()) {
      return true;
    }
    if (!force) {
      var left = registry.removeIfEmpty(hostId);
      if (!left.isEmpty()) {
        throw new HostNotEmpty(hostId, left);
      }
      pool.forget(hostId);
      return true;
    }
    registry.markRemoving(hostId);
    hostChanged.accept(hostId);
    if (registry.removeIfEmpty(hostId).isEmpty()) {
      pool.forget(hostId);
      return true;
    }
    return false;
  }
}
