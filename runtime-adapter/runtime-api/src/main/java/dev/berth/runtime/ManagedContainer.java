package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * One container carrying Berth's ownership labels, as a host listing shows it.
 *
 * @param createdAt when the engine created the container (whole seconds), or null when the engine
 *     did not say; a fact on the host that survives every restart of Berth, so grace periods are
 *     measured from it rather than from when some process first noticed the container
 */
public record ManagedContainer(
    String id, String name, Map<String, String> labels, ContainerStatus status, Instant createdAt) {

  public ManagedContainer {
    labels = Map.copyOf(labels);
  }
}
