package dev.berth.runtime;

import java.util.Map;

/** One container carrying Berth's ownership labels, as a host listing shows it. */
public record ManagedContainer(
    String id, String name, Map<String, String> labels, ContainerStatus status) {

  public ManagedContainer {
    labels = Map.copyOf(labels);
  }
}
