package dev.berth.service.containergroup;

import java.util.List;

/**
 * One container of a group as the client asked for it.
 *
 * @param requests what the scheduler reserves and billing charges
 * @param limits what the cgroup enforces; the requests when the client gave none
 */
public record ContainerDefinition(
    String name,
    String image,
    List<String> command,
    List<EnvironmentVariable> environment,
    Resources requests,
    Resources limits) {

  public ContainerDefinition {
    command = List.copyOf(command);
    environment = List.copyOf(environment);
  }
}
