package dev.berth.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.Event;
import dev.berth.sdk.model.Host;
import dev.berth.sdk.model.HostRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Helpers for the admin hosts API: register engines, pin groups by cordoning, wait on states. */
final class Hosts {

  /** The engine every Berth registers from its configuration file. */
  static final String LOCAL = "local";

  static final String LOCAL_ENDPOINT = "unix:///var/run/docker.sock";

  private Hosts() {}

  /**
   * Registers a test engine under its own name, publishing ports on {@code publishAddress} (each
   * simulated host gets its own 127.0.0.x, so two copies of a group never compete for one address),
   * with short call timeouts so a hung engine costs seconds.
   */
  static Host register(HostsApi hosts, Dockerd engine, String publishAddress) throws ApiException {
    return hosts.registerHost(
        engine.name(),
        new HostRegistration()
            .endpoint(engine.endpoint())
            .cpuAllocatable(1.0)
            .memoryAllocatable(0.9)
            .publishAddresses(List.of(publishAddress))
            .connectTimeoutSeconds(1.0)
            .responseTimeoutSeconds(5.0));
  }

  /**
   * Cordons every host but {@code target}, runs {@code creating}, then uncordons them again: the
   * groups created meanwhile can only be placed on {@code target}.
   */
  static void pinnedTo(HostsApi hosts, String target, ThrowingRunnable creating) throws Exception {
    List<String> others =
        hosts.listHosts().getValue().stream()
            .map(Host::getId)
            .filter(id -> !id.equals(target))
            .toList();
    for (String id : others) {
      hosts.cordonHost(id);
    }
    try {
      creating.run();
    } finally {
      for (String id : others) {
        hosts.uncordonHost(id);
      }
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static Host awaitState(HostsApi hosts, String id, Host.StateEnum state) {
    await("host " + id + " to be " + state)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> hosts.getHost(id).getState() == state);
    try {
      return hosts.getHost(id);
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  /** Every event of a group and of its containers, as "name: message". */
  static List<String> events(dev.berth.sdk.model.ContainerGroup group) {
    List<Event> all = new ArrayList<>();
    var props = group.getProperties();
    if (props.getInstanceView() != null && props.getInstanceView().getEvents() != null) {
      all.addAll(props.getInstanceView().getEvents());
    }
    props.getContainers().stream()
        .map(c -> c.getProperties().getInstanceView())
        .filter(Objects::nonNull)
        .flatMap(v -> v.getEvents() == null ? Stream.empty() : v.getEvents().stream())
        .forEach(all::add);
    return all.stream().map(e -> e.getName() + ": " + e.getMessage()).toList();
  }
}
