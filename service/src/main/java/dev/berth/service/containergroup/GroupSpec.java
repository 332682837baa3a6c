package dev.berth.service.containergroup;

import java.util.List;

/**
 * What a group should run. Immutable; a PUT with a different spec makes a new generation.
 *
 * @param ports the group's published ports (ACI's ipAddress.ports); empty for no IP address
 * @param dnsNameLabel the label of the group's fqdn, or null
 * @param volumes volumes the containers may mount
 * @param initContainers run one after another, each to a successful end, before the containers
 *     start; they share the group's network, volumes and reservation
 * @param zone the zone the group's host must be in (ACI's {@code zones}, which names at most one),
 *     or null for a host of any zone; absent from specs stored before zones were honoured, which
 *     therefore read as null
 * @param dns the resolv.conf of the group's containers (ACI's dnsConfig), or null for the host's
 *     default; specs stored before dnsConfig was applied read as null
 * @param registryCredentials ACI's imageRegistryCredentials: what a pull from each registry sends;
 *     absent from specs stored before pulls were offered, which therefore read as empty
 */
public record GroupSpec(
    List<ContainerDefinition> containers,
    RestartPolicy restartPolicy,
    String osType,
    List<PublishedPort> ports,
    String dnsNameLabel,
    List<VolumeDefinition> volumes,
    List<ContainerDefinition> initContainers,
    String zone,
    dev.berth.runtime.DnsConfig dns,
    List<RegistryCredential> registryCredentials) {

  /**
   * The container name a multi-container group's sandbox (the holder of its network namespace) goes
   * by; ACI names cannot contain '_', so it never clashes with a container of the spec.
   */
  public static final String SANDBOX = "_sandbox";

  public GroupSpec {
    containers = List.copyOf(containers);
    ports = ports == null ? List.of() : List.copyOf(ports);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
    registryCredentials =
        registryCredentials == null ? List.of() : List.copyOf(registryCredentials);
  }

  /** A group with the host's default resolv.conf and no registry credentials. */
  public GroupSpec(
      List<ContainerDefinition> containers,
      RestartPolicy restartPolicy,
      String osType,
      List<PublishedPort> ports,
      String dnsNameLabel,
      List<VolumeDefinition> volumes,
      List<ContainerDefinition> initContainers,
      String zone) {
    this(
        containers,
        restartPolicy,
        osType,
        ports,
        dnsNameLabel,
        volumes,
        initContainers,
        zone,
        null,
        List.of());
  }

  /** A group without an IP address. */
  public GroupSpec(
      List<ContainerDefinition> containers, RestartPolicy restartPolicy, String osType) {
    this(containers, restartPolicy, osType, List.of(), null, List.of(), List.of(), null);
  }

  /** The same spec with {@code dns} as its containers' resolv.conf (null: the host's default). */
  public GroupSpec withDns(dev.berth.runtime.DnsConfig dns) {
    return new GroupSpec(
        containers,
        restartPolicy,
        osType,
        ports,
        dnsNameLabel,
        volumes,
        initContainers,
        zone,
        dns,
        registryCredentials);
  }

  /** The same spec, pulling with {@code credentials}. */
  public GroupSpec withRegistryCredentials(List<RegistryCredential> credentials) {
    return new GroupSpec(
        containers,
        restartPolicy,
        osType,
        ports,
        dnsNameLabel,
        volumes,
        initContainers,
        zone,
        dns,
        credentials);
  }

  /** The same spec, placed in {@code zone} (null: any zone). */
  public GroupSpec withZone(String zone) {
    return new GroupSpec(
        containers,
        restartPolicy,
        osType,
        ports,
        dnsNameLabel,
        volumes,
        initContainers,
        zone,
        dns,
        registryCredentials);
  }

  /** The capacity the group reserves on its host: the sum of its containers' requests. */
  public Resources requests() {
    return containers.stream()
        .map(ContainerDefinition::requests)
        .reduce(Resources.NONE, Resources::plus);
  }

  /**
   * Whether the group's containers share a network namespace held by a sandbox container: a group
   * of several containers (so that one container's restart never takes the others' network, as a
   * Kubernetes pod's sandbox does). A lone container holds its own.
   */
  public boolean needsSandbox() {
    return containers.size() > 1 || !initContainers.isEmpty();
  }

  /**
   * How an init container is restarted: never under Never, else only after a failure (an init
   * container that succeeded is done), as in Kubernetes.
   */
  public RestartPolicy initRestartPolicy() {
    return restartPolicy == RestartPolicy.NEVER ? RestartPolicy.NEVER : RestartPolicy.ON_FAILURE;
  }
}
