package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.EnvironmentVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the engine spec of one container of a group: name, ownership labels, limits, hardening.
 */
public final class LaunchSpecs {

  private final Isolation isolation;
  private final String installation;

  /**
   * @param installation the id of this Berth installation, carried by every container
   */
  public LaunchSpecs(Isolation isolation, String installation) {
    this.isolation = isolation;
    this.installation = installation;
  }

  public ContainerSpec of(ContainerGroup group, ContainerDefinition definition) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (EnvironmentVariable variable : definition.environment()) {
      environment.put(variable.name(), variable.value() == null ? "" : variable.value());
    }
    Map<String, String> labels =
        Map.of(
            Labels.INSTALLATION, installation,
            Labels.MANAGED, "true",
            Labels.GROUP_ID, group.id().toString(),
            Labels.CONTAINER, definition.name(),
            Labels.GENERATION, Long.toString(group.generation()),
            Labels.SUBSCRIPTION, group.key().subscriptionId(),
            Labels.RESOURCE_GROUP, group.key().resourceGroup(),
            Labels.GROUP_NAME, group.key().name());
    return new ContainerSpec(
        ContainerNames.of(group.id(), definition.name()),
        definition.image(),
        definition.command(),
        environment,
        labels,
        new ContainerResources(definition.limits().nanoCpus(), definition.limits().memoryBytes()),
        isolation);
  }
}
