package dev.berth.service.containergroup;

import java.util.List;

/**
 * One container of a group as the client asked for it.
 *
 * @param requests what the scheduler reserves and billing charges
 * @param limits what the cgroup enforces; the requests when the client gave none
 * @param mounts the group's volumes this container mounts
 * @param livenessProbe restarts the container when it fails, or null
 * @param readinessProbe says whether the container is ready, or null
 */
public record ContainerDefinition(
    String name,
    String image,
    List<String> command,
    List<EnvironmentVariable> environment,
    Resources requests,
    Resources limits,
    List<Mount> mounts,
    Probe livenessProbe,
    Probe readinessProbe) {

  public ContainerDefinition {
    command = List.copyOf(command);
    environment = List.copyOf(environment);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** A container without probes. */
  public ContainerDefinition(
      String name,
      String image,
      List<String> command,
      List<EnvironmentVariable> environment,
      Resources requests,
      Resources limits,
      List<Mount> mounts) {
    this(name, image, command, environment, requests, limits, mounts, null, null);
  }

  /** The same container with these probes (null: none). */
  public ContainerDefinition withProbes(Probe liveness, Probe readiness) {
    return new ContainerDefinition(
        name, image, command, environment, requests, limits, mounts, liveness, readiness);
  }

  /** Whether any probe checks it. */
  public boolean hasProbes() {
    return livenessProbe != null || readinessProbe != null;
  }

  /** A container that mounts no volume. */
  public ContainerDefinition(
      String name,
      String image,
      List<String> command,
      List<EnvironmentVariable> environment,
      Resources requests,
      Resources limits) {
    this(name, image, command, environment, requests, limits, List.of());
  }
}
