package dev.berth.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to create one container.
 *
 * @param name deterministic engine-wide name, so a retried create finds the first attempt
 * @param image image reference, pulled if the host does not have it
 * @param command replaces the image's entrypoint when not empty (ACI's and Kubernetes' meaning)
 * @param environment variables in order; values may be secrets and are never logged
 * @param labels ownership labels ({@link Labels}) and any others
 * @param resources cgroup limits
 * @param isolation hardening applied to the container
 * @param ports ports published on the host (only for a container with a network of its own)
 * @param networkOf name of a container whose network namespace this one joins (a group's sandbox),
 *     or null for a network of its own
 * @param mounts named volumes mounted into it
 * @param dns its resolv.conf, or null for the engine's default; only for a container with a network
 *     of its own (one that joins another's namespace shares that one's resolv.conf)
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> command,
    Map<String, String> environment,
    Map<String, String> labels,
    ContainerResources resources,
    Isolation isolation,
    List<PortBinding> ports,
    String networkOf,
    List<VolumeMount> mounts,
    DnsConfig dns) {

  /** A container with the engine's default resolv.conf. */
  public ContainerSpec(
      String name,
      String image,
      List<String> command,
      Map<String, String> environment,
      Map<String, String> labels,
      ContainerResources resources,
      Isolation isolation,
      List<PortBinding> ports,
      String networkOf,
      List<VolumeMount> mounts) {
    this(
        name,
        image,
        command,
        environment,
        labels,
        resources,
        isolation,
        ports,
        networkOf,
        mounts,
        null);
  }

  /** The same container with {@code dns} as its resolv.conf (null: the engine's default). */
  public ContainerSpec withDns(DnsConfig dns) {
    return new ContainerSpec(
        name,
        image,
        command,
        environment,
        labels,
        resources,
        isolation,
        ports,
        networkOf,
        mounts,
        dns);
  }

  /** A container with a network of its own and nothing published. */
  public ContainerSpec(
      String name,
      String image,
      List<String> command,
      Map<String, String> environment,
      Map<String, String> labels,
      ContainerResources resources,
      Isolation isolation) {
    this(
        name,
        image,
        command,
        environment,
        labels,
        resources,
        isolation,
        List.of(),
        null,
        List.of());
  }

  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    command = List.copyOf(command);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    labels = Map.copyOf(labels);
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(isolation, "isolation");
    ports = ports == null ? List.of() : List.copyOf(ports);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    if (networkOf != null && !ports.isEmpty()) {
      throw new IllegalArgumentException(
          "a container joining another's network cannot publish ports");
    }
    if (networkOf != null && dns != null) {
      throw new IllegalArgumentException(
          "a container joining another's network shares its resolv.conf; give it a dnsConfig");
    }
  }

  /** Never prints environment values: they may hold secureValues. */
  @Override
  public String toString() {
    return "ContainerSpec[name="
        + name
        + ", image="
        + image
        + ", command="
        + command
        + ", environment="
        + environment.keySet()
        + ", labels="
        + labels
        + ", resources="
        + resources
        + "]";
  }
}
