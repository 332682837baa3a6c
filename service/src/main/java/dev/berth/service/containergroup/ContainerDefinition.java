package dev.berth.service.containergroup;

import java.util.List;

/**
 * One container of a group as the client asked for it.
 *
 * @param requests what the scheduler reserves and billing charges
 * @param limits what the cgroup enforces; the requests when the client gave none
 * @param mounts the group's volumes this container mounts
 */
public record ContainerDefinition(
    String name,
    String image,
    List<String> command,
    List<EnvironmentVariable> environment,
    Resources requests,
    Resources limits,
    List<Mount> mounts) {

  public ContainerDefinition {
    command = List.copyOf(command);
    environment = List.copyOf(environment);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
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
