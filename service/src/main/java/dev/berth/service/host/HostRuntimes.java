package dev.berth.service.host;

import dev.berth.runtime.ContainerRuntime;

/** The runtime of each host, by host id (each guarded by its own breaker and bulkhead). */
@FunctionalInterface
public interface HostRuntimes {
  ContainerRuntime forHost(String hostId);
}
