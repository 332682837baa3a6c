package dev.berth.service.host;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A guarded runtime per registered host, made when first needed from the host's row and made anew
 * when its connection settings change. Which hosts exist is the registry's business; this only
 * holds connections (and each host's breaker and bulkhead).
 */
public final class HostPool implements HostRuntimes, AutoCloseable {

  private static final Logger log = Logger.getLogger(HostPool.class.getName());

  private record Connection(HostDefinition definition, GuardedContainerRuntime runtime) {}

  private final HostRegistry registry;
  private final Function<HostDefinition, GuardedContainerRuntime> connect;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  /**
   * @param connect makes a host's guarded runtime from its definition
   */
  public HostPool(
      HostRegistry registry, Function<HostDefinition, GuardedContainerRuntime> connect) {
    this.registry = registry;
    this.connect = connect;
  }

  @Override
  public ContainerRuntime forHost(String hostId) {
    Connection c = connections.get(hostId);
    if (c != null) {
      return c.runtime();
    }
    RegisteredHost host =
        registry
            .find(hostId)
            .orElseThrow(
                () ->
                    new RuntimeFailure(
                        RuntimeFailure.Kind.HOST_UNREACHABLE,
                        "host " + hostId + " is not registered"));
    return connectionFor(host.definition());
  }

  /** The host's runtime for {@code definition}, made anew if its connection settings changed. */
  GuardedContainerRuntime connectionFor(HostDefinition definition) {
    Connection c =
        connections.compute(
            definition.id(),
            (id, old) -> {
              if (old != null && old.definition().sameConnection(definition)) {
                return old;
              }
              if (old != null) {
                closeQuietly(old.runtime());
              }
              return new Connection(definition, connect.apply(definition));
            });
    return c.runtime();
  }

  /**
   * Asks an engine that is not (yet) a host to describe itself: the check a registration makes
   * before the host may take work.
   */
  public HostDescription probe(HostDefinition definition) {
    try (GuardedContainerRuntime runtime = connect.apply(definition)) {
      return runtime.describeHost();
    }
  }

  /** The breaker of the host's runtime on this replica, if it has one. */
  public Optional<String> breakerState(String hostId) {
    return Optional.ofNullable(connections.get(hostId)).map(c -> c.runtime().breakerState().name());
  }

  /**
   * Brings this replica's connections in line with the registry, level-triggered: every replica
   * holds connections (the API's logs and exec run on whichever replica is asked), but only the one
   * that changed a host's registration or removed it knew at once. A host whose connection settings
   * changed is connected anew; one no longer registered is forgotten.
   *
   * @param registered the registry's hosts, read moments ago
   */
  void refresh(java.util.Collection<RegisteredHost> registered) {
    Map<String, HostDefinition> definitions = new java.util.HashMap<>();
    registered.forEach(h -> definitions.put(h.id(), h.definition()));
    for (String id : java.util.List.copyOf(connections.keySet())) {
      HostDefinition listed = definitions.get(id);
      Connection current = connections.get(id);
      if (current == null || (listed != null && current.definition().sameConnection(listed))) {
        continue;
      }
      // Read again before acting: a host registered or changed after the list was read is
      // neither forgotten nor connected back to its old endpoint.
      Optional<RegisteredHost> now = registry.find(id);
      if (now.isPresent()) {
        connectionFor(now.get().definition());
      } else {
        forget(id);
      }
    }
  }

  /** Forgets a host that is no longer registered. */
  public void forget(String hostId) {
    Connection c = connections.remove(hostId);
    if (c != null) {
      closeQuietly(c.runtime());
    }
  }

  @Override
  public void close() {
    connections.values().forEach(c -> closeQuietly(c.runtime()));
    connections.clear();
  }

  private static void closeQuietly(GuardedContainerRuntime runtime) {
    try {
      runtime.close();
    } catch (RuntimeException e) {
      log.warning("closing a host's runtime failed: " + e);
    }
  }
}
