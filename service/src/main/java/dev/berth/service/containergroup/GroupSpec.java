package dev.berth.service.containergroup;

import java.util.List;

/** What a group should run. Immutable; a PUT with a different spec makes a new generation. */
public record GroupSpec(
    List<ContainerDefinition> containers, RestartPolicy restartPolicy, String osType) {

  public GroupSpec {
    containers = List.copyOf(containers);
  }

  /** The capacity the group reserves on its host: the sum of its containers' requests. */
  public Resources requests() {
    return containers.stream()
        .map(ContainerDefinition::requests)
        .reduce(Resources.NONE, Resources::plus);
  }
}
