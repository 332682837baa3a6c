package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.Isolation;
import java.util.List;
import java.util.Map;

/**
 * The create call itself: limits, hardening, network and mounts as the engine takes them. Every
 * container is created never privileged, with Docker's restart policy off (restarts are Berth's),
 * on a bridge of its own or its group sandbox's namespace, and with named volumes only.
 */
final class DockerContainerCreation {

  private final DockerClient client;

  DockerContainerCreation(DockerClient client) {
    this.client = client;
  }

  String create(ContainerSpec spec) {
    Isolation isolation = spec.isolation();
    HostConfig host =
        HostConfig.newHostConfig()
            .withNanoCPUs(spec.resources().nanoCpus())
            .withMemory(spec.resources().memoryBytes())
            .withMemorySwap(spec.resources().memoryBytes())
            .withPrivileged(false)
            .withPidsLimit(isolation.pidsLimit())
            .withInit(isolation.initProcess())
            .withCapDrop(Capability.ALL)
            .withCapAdd(
                isolation.capabilities().stream()
                    .map(Capability::valueOf)
                    .toArray(Capability[]::new))
            .withLogConfig(
                new LogConfig(
                    LogConfig.LoggingType.JSON_FILE,
                    Map.of(
                        "max-size", isolation.logMaxSize(),
                        "max-file", Integer.toString(isolation.logMaxFiles()))))
            // Never the host's network: a bridge of its own, or the namespace of its group's
            // sandbox.
            .withNetworkMode(spec.networkOf() == null ? "bridge" : "container:" + spec.networkOf())
            // Restarts belong to Berth's reconciler (backoff, restartCount, per-attempt billing).
            .withRestartPolicy(RestartPolicy.noRestart());
    if (spec.dns() != null) {
      // The engine writes the container's resolv.conf from these; containers that join this
      // one's namespace bind the same file.
      host.withDns(spec.dns().nameServers())
          .withDnsSearch(spec.dns().searchDomains())
          .withDnsOptions(spec.dns().options());
    }
    if (isolation.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges:true"));
    }
    var create =
        client
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEnv(
                spec.environment().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toList())
            .withHostConfig(host);
    if (!spec.command().isEmpty()) {
      create.withEntrypoint(spec.command()).withCmd(List.of());
    }
    if (!spec.mounts().isEmpty()) {
      // Named volumes only: Berth never mounts a path of the host.
      host.withBinds(
          spec.mounts().stream()
              .map(
                  m ->
                      new Bind(
                          m.volume(),
                          new Volume(m.path()),
                          m.readOnly() ? AccessMode.ro : AccessMode.rw))
              .toList());
    }
    if (!spec.ports().isEmpty()) {
      List<ExposedPort> exposed = new java.util.ArrayList<>();
      Ports bindings = new Ports();
      for (dev.berth.runtime.PortBinding port : spec.ports()) {
        ExposedPort e = new ExposedPort(port.port(), InternetProtocol.parse(port.protocol()));
        exposed.add(e);
        bindings.bind(e, Ports.Binding.bindIpAndPort(port.hostIp(), port.port()));
      }
      create.withExposedPorts(exposed);
      host.withPortBindings(bindings);
    }
    return create.exec().getId();
  }
}
