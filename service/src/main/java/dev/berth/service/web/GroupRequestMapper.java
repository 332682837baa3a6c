package dev.berth.service.web;

import dev.berth.api.server.model.Container;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.api.server.model.ContainerGroupProperties;
import dev.berth.api.server.model.ContainerPort;
import dev.berth.api.server.model.ContainerProperties;
import dev.berth.api.server.model.EnvironmentVariable;
import dev.berth.api.server.model.InitContainerDefinition;
import dev.berth.api.server.model.InitContainerProperties;
import dev.berth.api.server.model.ResourceLimits;
import dev.berth.api.server.model.ResourceRequests;
import dev.berth.api.server.model.ResourceRequirements;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Mount;
import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.containergroup.VolumeDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps ACI's request body to a {@link GroupSpec}, refusing what Berth cannot honour yet rather than
 * accepting it and silently running something else (and always refusing what would weaken
 * isolation). Fields that change nothing about how containers run are accepted and echoed.
 *
 * <p>Sizes convert to exact integers, rounding up: cpu to thousandths of a vCPU, memoryInGB to MiB
 * (1 GB = 1024 MiB), so 0.1 GB reserves 103 MiB.
 */
final class GroupRequestMapper {

  GroupSpec toSpec(ContainerGroup body) {
    List<Violation> violations = new ArrayList<>();
    ContainerGroupProperties p = body.getProperties();
    if (p == null) {
      throw new InvalidRequestException(
          new Violation("InvalidRequestContent", "properties is required.", "properties"));
    }
    if (p.getOsType() == null) {
      violations.add(
          new Violation(
              "InvalidRequestContent",
              "properties.osType is required (Linux).",
              "properties.osType"));
    } else if (!p.getOsType().equalsIgnoreCase("Linux")) {
      violations.add(
          new Violation(
              "UnsupportedOsType",
              "osType '"
                  + p.getOsType()
                  + "' is not supported: Berth's hosts run Linux containers.",
              "properties.osType"));
    }
    String zone = zone(Nulls.list(body.getZones()), violations);
    RestartPolicy policy = RestartPolicy.ALWAYS;
    if (p.getRestartPolicy() != null) {
      policy = RestartPolicy.fromAci(p.getRestartPolicy()).orElse(null);
      if (policy == null) {
        violations.add(
            new Violation(
                "InvalidRestartPolicy",
                "restartPolicy '"
                    + p.getRestartPolicy()
                    + "' is not one of Always, OnFailure, Never.",
                "properties.restartPolicy"));
        policy = RestartPolicy.ALWAYS;
      }
    }

    Map<String, VolumeDefinition> volumes =
        VolumeMapping.volumes(Nulls.list(p.getVolumes()), violations);
    var credentials =
        RegistryCredentialMapping.credentials(
            Nulls.list(p.getImageRegistryCredentials()),
            Nulls.list(p.getContainers()).size(),
            violations);
    unsupported(
        !Nulls.list(p.getSubnetIds()).isEmpty(),
        "properties.subnetIds",
        "subnetIds (virtual network injection)",
        violations);
    unsupported(
        !Nulls.map(p.getConfidentialComputeProperties()).isEmpty()
            || "Confidential".equalsIgnoreCase(p.getSku()),
        "properties.confidentialComputeProperties",
        "confidential containers",
        violations);

    List<ContainerDefinition> containers = new ArrayList<>();
    List<Container> given = p.getContainers() == null ? List.of() : p.getContainers();
    for (int i = 0; i < given.size(); i++) {
      ContainerDefinition c =
          container(given.get(i), "properties.containers[" + i + "]", violations, volumes);
      if (c != null) {
        containers.add(c);
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    List<ContainerDefinition> inits =
        initContainers(Nulls.list(p.getInitContainers()), containers, violations, volumes);
    List<PublishedPort> published = IpAddressMapping.ipAddress(p.getIpAddress(), given, violations);
    dev.berth.runtime.DnsConfig dns = DnsConfigMapping.dnsConfig(p.getDnsConfig(), violations);
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new GroupSpec(
        containers,
        policy,
        "Linux",
        published,
        p.getIpAddress() == null ? null : p.getIpAddress().getDnsNameLabel(),
        List.copyOf(volumes.values()),
        inits,
        zone,
        dns,
        credentials);
  }

  /**
   * ACI's {@code zones} is a list but a container group may name at most one zone: its containers
   * share one host. An empty list asks for no zone. The zone's own form is the validator's rule.
   */
  private static String zone(List<String> zones, List<Violation> violations) {
    if (zones.size() > 1) {
      violations.add(
          new Violation(
              "MultipleZonesNotSupported",
              "A container group may name at most one zone (its containers share one host); "
                  + zones.size()
                  + " were given.",
              "zones"));
      return null;
    }
    if (zones.isEmpty()) {
      return null;
    }
    if (zones.get(0) == null) {
      violations.add(new Violation("InvalidZone", "A zone may not be null.", "zones"));
      return null;
    }
    return zones.get(0);
  }

  /**
   * ACI's init containers carry no sizes: each runs alone before the containers start, so it may
   * use what the whole group reserved. The container rules apply to each, under its own path.
   */
  private List<ContainerDefinition> initContainers(
      List<InitContainerDefinition> given,
      List<ContainerDefinition> containers,
      List<Violation> violations,
      Map<String, VolumeDefinition> volumes) {
    Resources group =
        containers.stream()
            .map(ContainerDefinition::requests)
            .reduce(Resources.NONE, Resources::plus);
    List<ContainerDefinition> inits = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      InitContainerDefinition init = given.get(i);
      String at = "properties.initContainers[" + i + "]";
      if (init == null || init.getProperties() == null) {
        violations.add(
            new Violation(
                "InvalidRequestContent", "An init container needs a name and properties.", at));
        continue;
      }
      InitContainerProperties ip = init.getProperties();
      Container asContainer =
          new Container()
              .name(init.getName())
              .properties(
                  new ContainerProperties()
                      .image(ip.getImage())
                      .command(Nulls.list(ip.getCommand()))
                      .environmentVariables(Nulls.list(ip.getEnvironmentVariables()))
                      .volumeMounts(Nulls.list(ip.getVolumeMounts()))
                      .securityContext(ip.getSecurityContext())
                      .resources(
                          new ResourceRequirements()
                              .requests(
                                  new ResourceRequests()
                                      .cpu(Math.max(group.cpu(), 0.001))
                                      .memoryInGB(Math.max(group.memoryInGb(), 1 / 1024.0)))));
      ContainerDefinition definition = container(asContainer, at, violations, volumes);
      if (definition != null) {
        inits.add(definition);
      }
    }
    return inits;
  }

  private ContainerDefinition container(
      Container c, String at, List<Violation> violations, Map<String, VolumeDefinition> volumes) {
    int before = violations.size();
    if (c == null) {
      violations.add(new Violation("InvalidRequestContent", "A container may not be null.", at));
      return null;
    }
    if (c.getName() == null) {
      violations.add(new Violation("InvalidContainerName", "name is required.", at + ".name"));
    }
    ContainerProperties p = c.getProperties();
    if (p == null) {
      violations.add(
          new Violation("InvalidRequestContent", "properties is required.", at + ".properties"));
      return null;
    }
    String props = at + ".properties";
    if (p.getImage() == null || p.getImage().isBlank()) {
      violations.add(new Violation("InvalidImageName", "image is required.", props + ".image"));
    }
    List<Mount> mounts =
        VolumeMapping.mounts(
            Nulls.list(p.getVolumeMounts()), props + ".volumeMounts", volumes, violations);
    var liveness =
        ProbeMapping.probe(p.getLivenessProbe(), props + ".livenessProbe", true, violations);
    var readiness =
        ProbeMapping.probe(p.getReadinessProbe(), props + ".readinessProbe", false, violations);
    SecurityContextRules.securityContext(
        p.getSecurityContext(), props + ".securityContext", violations);
    List<ContainerPort> ports = Nulls.list(p.getPorts());
    for (int j = 0; j < ports.size(); j++) {
      ContainerPort port = ports.get(j);
      String target = props + ".ports[" + j + "]";
      if (port == null || port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
        violations.add(
            new Violation(
                "InvalidContainerPort", "port must be between 1 and 65535.", target + ".port"));
      } else if (port.getProtocol() != null
          && !port.getProtocol().equalsIgnoreCase("TCP")
          && !port.getProtocol().equalsIgnoreCase("UDP")) {
        violations.add(
            new Violation(
                "InvalidContainerPort", "protocol must be TCP or UDP.", target + ".protocol"));
      }
    }
    List<dev.berth.service.containergroup.EnvironmentVariable> environment = new ArrayList<>();
    List<EnvironmentVariable> variables = Nulls.list(p.getEnvironmentVariables());
    for (int j = 0; j < variables.size(); j++) {
      EnvironmentVariable v = variables.get(j);
      String target = props + ".environmentVariables[" + j + "]";
      if (v == null || v.getName() == null) {
        violations.add(
            new Violation("InvalidEnvironmentVariableName", "name is required.", target + ".name"));
        continue;
      }
      if (v.getValue() != null && v.getSecureValue() != null) {
        violations.add(
            new Violation(
                "InvalidEnvironmentVariable", "Set value or secureValue, not both.", target));
        continue;
      }
      boolean secure = v.getSecureValue() != null;
      environment.add(
          new dev.berth.service.containergroup.EnvironmentVariable(
              v.getName(),
              secure ? v.getSecureValue() : (v.getValue() == null ? "" : v.getValue()),
              secure));
    }
    Resources requests = null;
    Resources limits = null;
    if (p.getResources() == null || p.getResources().getRequests() == null) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "resources.requests {cpu, memoryInGB} is required.",
              props + ".resources.requests"));
    } else {
      ResourceRequests r = p.getResources().getRequests();
      String target = props + ".resources.requests";
      Long cpu = Sizes.milliCpu(r.getCpu(), target + ".cpu", violations);
      Long memory = Sizes.memoryMiB(r.getMemoryInGB(), target + ".memoryInGB", violations);
      unsupported(r.getGpu() != null, target + ".gpu", "GPUs", violations);
      if (cpu != null && memory != null) {
        requests = new Resources(cpu, memory);
        limits = requests;
        ResourceLimits l = p.getResources().getLimits();
        if (l != null) {
          String limitsAt = props + ".resources.limits";
          Long limitCpu =
              l.getCpu() == null
                  ? Long.valueOf(cpu)
                  : Sizes.milliCpu(l.getCpu(), limitsAt + ".cpu", violations);
          Long limitMemory =
              l.getMemoryInGB() == null
                  ? Long.valueOf(memory)
                  : Sizes.memoryMiB(l.getMemoryInGB(), limitsAt + ".memoryInGB", violations);
          unsupported(l.getGpu() != null, limitsAt + ".gpu", "GPUs", violations);
          if (limitCpu != null && limitMemory != null) {
            limits = new Resources(limitCpu, limitMemory);
          }
        }
      }
    }
    if (violations.size() > before) {
      return null;
    }
    return new ContainerDefinition(
            c.getName(),
            p.getImage(),
            Nulls.list(p.getCommand()),
            environment,
            requests,
            limits,
            mounts)
        .withProbes(liveness, readiness);
  }

  static void unsupported(boolean present, String target, String what, List<Violation> violations) {
    if (present) {
      violations.add(
          new Violation(
              "UnsupportedFeature",
              what + " is not supported by this Berth version; remove it from the request.",
              target));
    }
  }
}
