package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.VolumeMount;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.EnvironmentVariable;
import dev.berth.service.containergroup.GroupSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the engine spec of each container of a group: name, ownership labels, limits, hardening,
 * and its network: the group's published ports on a container of its own, or the namespace of the
 * group's sandbox.
 */
public final class LaunchSpecs {

  /** The container name the sandbox goes by. */
  public static final String SANDBOX = GroupSpec.SANDBOX;

  /** What the sandbox asks of the host: it only sleeps, holding the namespace. */
  private static final ContainerResources SANDBOX_RESOURCES =
      new ContainerResources(10_000_000L, 8L << 20);

  private final Isolation isolation;
  private final String installation;
  private final String sandboxImage;

  /**
   * @param installation the id of this Berth installation, carried by every container
   * @param sandboxImage image of the sandbox container; it needs only {@code sleep}
   */
  public LaunchSpecs(Isolation isolation, String installation, String sandboxImage) {
    this.isolation = isolation;
    this.installation = installation;
    this.sandboxImage = sandboxImage;
  }

  public LaunchSpecs(Isolation isolation, String installation) {
    this(isolation, installation, "berth/busybox:1");
  }

  /**
   * @param address where the group's ports are published, or null when it publishes none
   */
  public ContainerSpec of(ContainerGroup group, ContainerDefinition definition, String address) {
    ContainerSpec spec = withoutDns(group, definition, address);
    // A container in the sandbox's namespace shares the sandbox's resolv.conf.
    return spec.networkOf() != null ? spec : spec.withDns(group.spec().dns());
  }

  private ContainerSpec withoutDns(
      ContainerGroup group, ContainerDefinition definition, String address) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (EnvironmentVariable variable : definition.environment()) {
      environment.put(variable.name(), variable.value() == null ? "" : variable.value());
    }
    boolean shared = group.spec().needsSandbox();
    return new ContainerSpec(
        ContainerNames.of(group.id(), definition.name()),
        definition.image(),
        definition.command(),
        environment,
        labels(group, definition.name()),
        new ContainerResources(definition.limits().nanoCpus(), definition.limits().memoryBytes()),
        isolation,
        shared ? List.of() : ports(group, address),
        shared ? ContainerNames.of(group.id(), SANDBOX) : null,
        definition.mounts().stream()
            .map(
                m ->
                    new VolumeMount(volumeName(group, m.volumeName()), m.mountPath(), m.readOnly()))
            .toList());
  }

  /**
   * The sandbox of a group whose containers share a network namespace; it publishes the ports and
   * holds the group's resolv.conf.
   */
  public ContainerSpec sandbox(ContainerGroup group, String address) {
    return sandboxWithoutDns(group, address).withDns(group.spec().dns());
  }

  private ContainerSpec sandboxWithoutDns(ContainerGroup group, String address) {
    return new ContainerSpec(
        ContainerNames.of(group.id(), SANDBOX),
        sandboxImage,
        List.of("sleep", "2147483647"),
        Map.of(),
        labels(group, SANDBOX),
        SANDBOX_RESOURCES,
        isolation,
        ports(group, address),
        null,
        List.of());
  }

  /** The engine's name of a group volume: deterministic, so creating it again finds it. */
  public static String volumeName(ContainerGroup group, String volume) {
    return "berth-" + group.id() + "-" + volume;
  }

  /** Ownership labels of the group's volumes. */
  public Map<String, String> volumeLabels(ContainerGroup group) {
    return Map.of(
        Labels.INSTALLATION, installation,
        Labels.MANAGED, "true",
        Labels.GROUP_ID, group.id().toString(),
        Labels.SUBSCRIPTION, group.key().subscriptionId(),
        Labels.RESOURCE_GROUP, group.key().resourceGroup(),
        Labels.GROUP_NAME, group.key().name());
  }

  /** The image of short-lived helper containers (writing secret volumes). */
  public String helperImage() {
    return sandboxImage;
  }

  private static List<PortBinding> ports(ContainerGroup group, String address) {
    if (address == null) {
      return List.of();
    }
    return group.spec().ports().stream()
        .map(p -> new PortBinding(p.port(), p.protocol().toLowerCase(Locale.ROOT), address))
        .toList();
  }

  private Map<String, String> labels(ContainerGroup group, String containerName) {
    return Map.of(
        Labels.INSTALLATION, installation,
        Labels.MANAGED, "true",
        Labels.GROUP_ID, group.id().toString(),
        Labels.CONTAINER, containerName,
        Labels.GENERATION, Long.toString(group.generation()),
        Labels.SUBSCRIPTION, group.key().subscriptionId(),
        Labels.RESOURCE_GROUP, group.key().resourceGroup(),
        Labels.GROUP_NAME, group.key().name());
  }
}
