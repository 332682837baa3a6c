package dev.berth.service.web;

import dev.berth.api.server.model.Container;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.api.server.model.ContainerGroupProperties;
import dev.berth.api.server.model.ContainerPort;
import dev.berth.api.server.model.ContainerProperties;
import dev.berth.api.server.model.EnvironmentVariable;
import dev.berth.api.server.model.InitContainerDefinition;
import dev.berth.api.server.model.InitContainerProperties;
import dev.berth.api.server.model.IpAddress;
import dev.berth.api.server.model.Port;
import dev.berth.api.server.model.ResourceLimits;
import dev.berth.api.server.model.ResourceRequests;
import dev.berth.api.server.model.ResourceRequirements;
import dev.berth.api.server.model.SecurityContextDefinition;
import dev.berth.api.server.model.Volume;
import dev.berth.api.server.model.VolumeMount;
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

    Map<String, VolumeDefinition> volumes = volumes(Nulls.list(p.getVolumes()), violations);
    unsupported(
        !Nulls.list(p.getImageRegistryCredentials()).isEmpty(),
        "properties.imageRegistryCredentials",
        "imageRegistryCredentials (images come from each host's local store)",
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
    List<PublishedPort> published = ipAddress(p.getIpAddress(), given, violations);
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
        inits);
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
        mounts(Nulls.list(p.getVolumeMounts()), props + ".volumeMounts", volumes, violations);
    unsupported(
        !Nulls.map(p.getLivenessProbe()).isEmpty(),
        props + ".livenessProbe",
        "livenessProbe",
        violations);
    unsupported(
        !Nulls.map(p.getReadinessProbe()).isEmpty(),
        props + ".readinessProbe",
        "readinessProbe",
        violations);
    securityContext(p.getSecurityContext(), props + ".securityContext", violations);
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
      Long cpu = milliCpu(r.getCpu(), target + ".cpu", violations);
      Long memory = memoryMiB(r.getMemoryInGB(), target + ".memoryInGB", violations);
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
                  : milliCpu(l.getCpu(), limitsAt + ".cpu", violations);
          Long limitMemory =
              l.getMemoryInGB() == null
                  ? Long.valueOf(memory)
                  : memoryMiB(l.getMemoryInGB(), limitsAt + ".memoryInGB", violations);
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
        mounts);
  }

  private static final java.util.regex.Pattern DNS_LABEL =
      java.util.regex.Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

  /** ACI's ipAddress: each port must be one a container declares; TCP or UDP; a DNS label. */
  private static List<PublishedPort> ipAddress(
      IpAddress ip, List<Container> containers, List<Violation> violations) {
    if (ip == null) {
      return List.of();
    }
    if (ip.getType() != null
        && !ip.getType().equalsIgnoreCase("Public")
        && !ip.getType().equalsIgnoreCase("Private")) {
      violations.add(
          new Violation(
              "InvalidIpAddressType",
              "ipAddress.type must be Public or Private.",
              "properties.ipAddress.type"));
    }
    List<Port> ports = Nulls.list(ip.getPorts());
    if (ports.isEmpty()) {
      violations.add(
          new Violation(
              "InvalidIpAddressPorts",
              "ipAddress.ports must list at least one port.",
              "properties.ipAddress.ports"));
    }
    java.util.Set<Integer> declared = new java.util.HashSet<>();
    for (Container c : containers) {
      if (c != null && c.getProperties() != null) {
        Nulls.list(c.getProperties().getPorts()).stream()
            .filter(java.util.Objects::nonNull)
            .map(ContainerPort::getPort)
            .forEach(declared::add);
      }
    }
    List<PublishedPort> published = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      Port port = ports.get(i);
      String target = "properties.ipAddress.ports[" + i + "]";
      if (port == null || port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts", "port must be between 1 and 65535.", target + ".port"));
        continue;
      }
      String protocol =
          port.getProtocol() == null
              ? "TCP"
              : port.getProtocol().toUpperCase(java.util.Locale.ROOT);
      if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts", "protocol must be TCP or UDP.", target + ".protocol"));
        continue;
      }
      if (!declared.contains(port.getPort())) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts",
                "ipAddress port " + port.getPort() + " must be one of the containers' ports.",
                target + ".port"));
        continue;
      }
      if (!seen.add(port.getPort() + "/" + protocol)) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts",
                "port " + port.getPort() + "/" + protocol + " is listed twice.",
                target));
        continue;
      }
      published.add(new PublishedPort(port.getPort(), protocol));
    }
    if (ip.getDnsNameLabel() != null && !DNS_LABEL.matcher(ip.getDnsNameLabel()).matches()) {
      violations.add(
          new Violation(
              "InvalidDnsNameLabel",
              "dnsNameLabel must be 3-63 lowercase letters, digits or '-', starting with a letter.",
              "properties.ipAddress.dnsNameLabel"));
    }
    return published;
  }

  private static final java.util.regex.Pattern VOLUME_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,255}");

  /** emptyDir and secret volumes; azureFile and gitRepo would need mounts Berth does not offer. */
  private static Map<String, VolumeDefinition> volumes(
      List<Volume> given, List<Violation> violations) {
    Map<String, VolumeDefinition> volumes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < given.size(); i++) {
      Volume v = given.get(i);
      String at = "properties.volumes[" + i + "]";
      if (v == null || v.getName() == null || !VOLUME_NAME.matcher(v.getName()).matches()) {
        violations.add(
            new Violation(
                "InvalidVolumeName",
                "A volume name must be 1-63 lowercase letters, digits or '-', not starting or ending with '-'.",
                at + ".name"));
        continue;
      }
      if (volumes.containsKey(v.getName())) {
        violations.add(
            new Violation(
                "DuplicateVolumeName",
                "The volume '" + v.getName() + "' is defined twice.",
                at + ".name"));
        continue;
      }

      boolean secret = v.getSecret() != null && !v.getSecret().isEmpty();
      boolean azureFile = !Nulls.map(v.getAzureFile()).isEmpty();
      boolean gitRepo = !Nulls.map(v.getGitRepo()).isEmpty();
      if (azureFile || gitRepo) {
        violations.add(
            new Violation(
                "UnsupportedVolumeType",
                (azureFile ? "azureFile" : "gitRepo")
                    + " volumes are not supported: use emptyDir or secret.",
                at + (azureFile ? ".azureFile" : ".gitRepo")));
        continue;
      }
      // The generated model cannot tell an absent emptyDir from {} (clients send both): a volume
      // with secret files is a secret volume, any other an emptyDir.
      if (!secret) {
        volumes.put(
            v.getName(),
            new VolumeDefinition(v.getName(), VolumeDefinition.Kind.EMPTY_DIR, Map.of()));
        continue;
      }
      Map<String, String> files = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, String> file : v.getSecret().entrySet()) {
        if (!FILE_NAME.matcher(file.getKey()).matches()
            || file.getKey().equals(".")
            || file.getKey().equals("..")) {
          violations.add(
              new Violation(
                  "InvalidSecretFileName",
                  "A secret file name must be letters, digits, '.', '_' or '-'.",
                  at + ".secret"));
          continue;
        }
        try {
          java.util.Base64.getDecoder().decode(file.getValue() == null ? "" : file.getValue());
          files.put(file.getKey(), file.getValue() == null ? "" : file.getValue());
        } catch (IllegalArgumentException notBase64) {
          // The message never repeats the value: it is a secret.
          violations.add(
              new Violation(
                  "InvalidSecretValue",
                  "A secret file's content must be base64.",
                  at + ".secret." + file.getKey()));
        }
      }
      volumes.put(
          v.getName(), new VolumeDefinition(v.getName(), VolumeDefinition.Kind.SECRET, files));
    }
    return volumes;
  }

  /** A container's volumeMounts: each of a group volume, at an absolute path; secrets read-only. */
  private static List<Mount> mounts(
      List<VolumeMount> given,
      String at,
      Map<String, VolumeDefinition> volumes,
      List<Violation> violations) {
    List<Mount> mounts = new ArrayList<>();
    java.util.Set<String> paths = new java.util.HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      VolumeMount m = given.get(i);
      String target = at + "[" + i + "]";
      if (m == null || m.getName() == null || !volumes.containsKey(m.getName())) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "volumeMounts must name a volume of the group"
                    + (m == null || m.getName() == null
                        ? "."
                        : ": '" + m.getName() + "' is not one."),
                target + ".name"));
        continue;
      }
      String path = m.getMountPath();
      if (path == null
          || !path.startsWith("/")
          || path.contains(":")
          || path.equals("/")
          || path.contains("/../")
          || path.endsWith("/..")) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "mountPath must be an absolute path other than / without ':' or '..'.",
                target + ".mountPath"));
        continue;
      }
      if (!paths.add(path)) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "Two volumes are mounted at " + path + ".",
                target + ".mountPath"));
        continue;
      }
      boolean secret = volumes.get(m.getName()).kind() == VolumeDefinition.Kind.SECRET;
      mounts.add(new Mount(m.getName(), path, secret || Boolean.TRUE.equals(m.getReadOnly())));
    }
    return mounts;
  }

  private static void securityContext(
      SecurityContextDefinition s, String at, List<Violation> violations) {
    if (s == null) {
      return;
    }
    if (Boolean.TRUE.equals(s.getPrivileged())) {
      violations.add(
          new Violation(
              "PrivilegedContainerNotAllowed",
              "Privileged containers are not allowed: they would have full access to the host.",
              at + ".privileged"));
    }
    if (Boolean.TRUE.equals(s.getAllowPrivilegeEscalation())) {
      violations.add(
          new Violation(
              "PrivilegeEscalationNotAllowed",
              "allowPrivilegeEscalation is not allowed: Berth runs every container with no-new-privileges.",
              at + ".allowPrivilegeEscalation"));
    }
    if (s.getCapabilities() != null && !Nulls.list(s.getCapabilities().getAdd()).isEmpty()) {
      violations.add(
          new Violation(
              "CapabilityNotAllowed",
              "Adding Linux capabilities is not allowed: " + s.getCapabilities().getAdd() + ".",
              at + ".capabilities.add"));
    }
    unsupported(
        s.getCapabilities() != null && !Nulls.list(s.getCapabilities().getDrop()).isEmpty(),
        at + ".capabilities.drop",
        "capabilities.drop",
        violations);
    unsupported(s.getRunAsUser() != null, at + ".runAsUser", "runAsUser", violations);
    unsupported(s.getRunAsGroup() != null, at + ".runAsGroup", "runAsGroup", violations);
    unsupported(
        s.getSeccompProfile() != null, at + ".seccompProfile", "seccompProfile", violations);
  }

  private static void unsupported(
      boolean present, String target, String what, List<Violation> violations) {
    if (present) {
      violations.add(
          new Violation(
              "UnsupportedFeature",
              what + " is not supported by this Berth version; remove it from the request.",
              target));
    }
  }

  private static Long milliCpu(Double cpu, String target, List<Violation> violations) {
    if (cpu == null) {
      violations.add(new Violation("InvalidResourceRequests", "cpu is required.", target));
      return null;
    }
    if (!Double.isFinite(cpu) || cpu <= 0) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "cpu must be a positive number of vCPUs, got " + cpu + ".",
              target));
      return null;
    }
    if (cpu > 1_000_000) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum", "cpu " + cpu + " is beyond any host.", target));
      return null;
    }
    return (long) Math.ceil(cpu * 1000 - 1e-9);
  }

  private static Long memoryMiB(Double gb, String target, List<Violation> violations) {
    if (gb == null) {
      violations.add(new Violation("InvalidResourceRequests", "memoryInGB is required.", target));
      return null;
    }
    if (!Double.isFinite(gb) || gb <= 0) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "memoryInGB must be a positive number, got " + gb + ".",
              target));
      return null;
    }
    if (gb > 1_000_000) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum",
              "memoryInGB " + gb + " is beyond any host.",
              target));
      return null;
    }
    return (long) Math.ceil(gb * 1024 - 1e-9);
  }
}
