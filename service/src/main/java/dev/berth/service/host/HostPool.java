package dev.berth.service.host;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.reconciliation.HostRuntimes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The configured hosts, each with its guarded runtime. {@link #refresh()} asks every engine for its
 * capacity and records it (or records that it did not answer).
 */
public final class HostPool implements HostRuntimes {

  private static final Logger log = Logger.getLogger(HostPool.class.getName());

  private final Map<String, HostDefinition> definitions = new LinkedHashMap<>();
  private final Map<String, ContainerRuntime> runtimes = new LinkedHashMap<>();
  private final HostStore store;

  public HostPool(HostStore store) {
    this.store = store;
  }

  public void add(HostDefinition definition, ContainerRuntime guardedRuntime) {
    definitions.put(definition.id(), definition);
    runtimes.put(definition.id(), guardedRuntime);
  }

  @Override
  public ContainerRuntime forHost(String hostId) {
    ContainerRuntime runtime = runtimes.get(hostId);
    if (runtime == null) {
      throw new RuntimeFailure(RuntimeFailure.Kind.HOST_UNREACHABLE, "host " + hostId + " is not configured");
    }
    return runtime;
  }

  /** Re-reads every host's capacity. */
  public void refresh() {
    definitions.values().forEach(this::refresh);
  }

  private void refresh(HostDefinition definition) {
    try {
      HostDescription host = runtimes.get(definition.id()).describeHost();
      Resources allocatable = new Resources(
          (long) Math.floor(host.cpus() * 1000L * definition.cpuAllocatable()),
          (long) Math.floor(host.memoryBytes() / (1024.0 * 1024.0) * definition.memoryAllocatable()));
      store.registered(definition.id(), definition.endpoint(), allocatable, host.engineVersion());
    } catch (RuntimeFailure e) {
      log.warning("host " + definition.id() + " did not answer: " + e.getMessage());
      store.unreachable(definition.id(), e.getMessage());
    }
  }
}
