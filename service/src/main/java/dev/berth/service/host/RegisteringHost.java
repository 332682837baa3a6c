package dev.berth.service.host;

import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PUT of a host (and each host of the configuration file at start): the definition is checked, the
 * engine must answer, then the host is saved and takes work. Its owner picks it up at its next
 * lease renewal.
 */
public final class RegisteringHost {

  /**
   * The most vCPUs groups may reserve per engine CPU, OpenStack's default cpu_allocation_ratio: CPU
   * requests are CFS quotas, so an overcommitted engine runs them all, each capped at its request,
   * sharing the CPUs when they are busy at once. Memory is never overcommitted.
   */
  static final double MAX_CPU_ALLOCATABLE = 16;

  private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final HostRegistry registry;
  private final HostPool pool;

  public RegisteringHost(HostRegistry registry, HostPool pool) {
    this.registry = registry;
    this.pool = pool;
  }

  /** The host as registered, and whether it is new. */
  public record Outcome(RegisteredHost host, boolean created) {}

  public Outcome register(HostDefinition definition) {
    List<Violation> violations = validate(definition);
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    if (registry.find(definition.id()).map(RegisteredHost::removing).orElse(false)) {
      throw new HostBeingRemoved(definition.id());
    }
    HostDescription engine;
    try {
      engine = pool.probe(definition);
    } catch (RuntimeFailure silent) {
      throw new HostNotAnswering(
          "The engine at "
              + definition.endpoint()
              + " did not answer ("
              + silent.getMessage()
              + "); the host was not registered.",
          silent);
    }
    boolean created = registry.register(definition, engine);
    return new Outcome(registry.find(definition.id()).orElseThrow(), created);
  }

  /** The rules a host definition must follow, each naming its field. */
  public static List<Violation> validate(HostDefinition d) {
    List<Violation> violations = new ArrayList<>();
    if (d.id() == null || !ID.matcher(d.id()).matches()) {
      violations.add(
          new Violation(
              "InvalidHostId",
              "A host id is 1-63 lowercase letters, digits and '-', not starting or ending with '-'.",
              "hostId"));
    }
    if (d.endpoint() == null
        || !(d.endpoint().startsWith("unix:///") || d.endpoint().startsWith("tcp://"))) {
      violations.add(
          new Violation(
              "InvalidEndpoint",
              "endpoint is required: unix:///path/to/docker.sock or tcp://host:port.",
              "endpoint"));
    } else if (d.endpoint().startsWith("tcp://")) {
      try {
        URI uri = URI.create(d.endpoint());
        if (uri.getHost() == null || uri.getPort() < 1) {
          throw new IllegalArgumentException("no host or port");
        }
      } catch (IllegalArgumentException e) {
        violations.add(
            new Violation("InvalidEndpoint", "A tcp endpoint is tcp://host:port.", "endpoint"));
      }
    }
    if (!(d.cpuAllocatable() > 0 && d.cpuAllocatable() <= MAX_CPU_ALLOCATABLE)) {
      violations.add(
          new Violation(
              "InvalidAllocatable",
              "cpuAllocatable is how many vCPUs groups may reserve per engine CPU: more than 0,"
                  + " at most "
                  + (int) MAX_CPU_ALLOCATABLE
                  + " (above 1 overcommits the CPUs).",
              "cpuAllocatable"));
    }
    if (!(d.memoryAllocatable() > 0 && d.memoryAllocatable() <= 1)) {
      violations.add(
          new Violation(
              "InvalidAllocatable",
              "memoryAllocatable is a fraction of the engine's memory: more than 0, at most 1.",
              "memoryAllocatable"));
    }
    if (d.connectTimeout().isNegative()
        || d.connectTimeout().isZero()
        || d.responseTimeout().isNegative()
        || d.responseTimeout().isZero()) {
      violations.add(
          new Violation(
              "InvalidTimeout",
              "Timeouts are positive numbers of seconds.",
              "responseTimeoutSeconds"));
    }
    for (int i = 0; i < d.publishAddresses().size(); i++) {
      String address = d.publishAddresses().get(i);
      if (address == null || !address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
        violations.add(
            new Violation(
                "InvalidPublishAddress",
                "A publish address is an IPv4 address of the host, e.g. 127.0.0.1.",
                "publishAddresses[" + i + "]"));
      }
    }
    if (d.zone() != null && !d.zone().matches("[A-Za-z0-9-]{1,32}")) {
      violations.add(
          new Violation("InvalidZone", "A zone is 1-32 letters, digits and '-'.", "zone"));
    }
    return violations;
  }

  /** A host being removed (DELETE ?force=true) cannot be registered until it is gone. */
  public static final class HostBeingRemoved extends RuntimeException {
    public HostBeingRemoved(String hostId) {
      super("Host " + hostId + " is being removed; register it again once it is gone.");
    }
  }
}
