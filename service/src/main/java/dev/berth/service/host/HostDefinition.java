package dev.berth.service.host;

import dev.berth.runtime.HostDescription;
import dev.berth.service.containergroup.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One host as the operator registers it (through the hosts API, or the configuration file at
 * start).
 *
 * @param id stable name of the host (placements refer to it)
 * @param endpoint {@code unix:///path/docker.sock} or {@code tcp://host:port}
 * @param tlsCertPath directory with ca.pem, cert.pem and key.pem for TCP+TLS, or null
 * @param zone the host's zone, or null
 * @param labels free-form labels, shown by the hosts API
 * @param cpuAllocatable fraction of the engine's CPUs groups may reserve (0-1]
 * @param memoryAllocatable fraction of the engine's memory groups may reserve (0-1]
 * @param publishAddresses host addresses groups' ports are published on; each group gets one
 * @param connectTimeout connection timeout of every call to the engine
 * @param responseTimeout answer timeout of every call to the engine
 */
public record HostDefinition(
    String id,
    String endpoint,
    String tlsCertPath,
    String zone,
    Map<String, String> labels,
    double cpuAllocatable,
    double memoryAllocatable,
    List<String> publishAddresses,
    Duration connectTimeout,
    Duration responseTimeout) {

  public HostDefinition {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    publishAddresses =
        publishAddresses == null || publishAddresses.isEmpty()
            ? List.of("127.0.0.1")
            : List.copyOf(publishAddresses);
  }

  /** What groups may reserve on an engine that describes itself as {@code engine}. */
  public Resources allocatable(HostDescription engine) {
    return new Resources(
        (long) Math.floor(engine.cpus() * 1000L * cpuAllocatable),
        (long) Math.floor(engine.memoryBytes() / (1024.0 * 1024.0) * memoryAllocatable));
  }

  /** Whether a runtime built for {@code other} can serve this definition unchanged. */
  boolean sameConnection(HostDefinition other) {
    return endpoint.equals(other.endpoint)
        && java.util.Objects.equals(tlsCertPath, other.tlsCertPath)
        && connectTimeout.equals(other.connectTimeout)
        && responseTimeout.equals(other.responseTimeout);
  }
}
