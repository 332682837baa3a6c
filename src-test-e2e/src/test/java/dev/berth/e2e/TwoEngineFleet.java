package dev.berth.e2e;

import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.HostsApi;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One Berth with two extra engines next to the local one, registered through the hosts API with
 * publish addresses 127.0.0.2 and 127.0.0.3: the fleet the host-loss, hang and drain tests work on.
 */
final class TwoEngineFleet implements AutoCloseable {

  final Dockerd first;
  final Dockerd second;
  final BerthProcess berth;
  final HostsApi hosts;
  final ContainerGroupsApi api;

  private TwoEngineFleet(Dockerd first, Dockerd second, BerthProcess berth) throws Exception {
    this.first = first;
    this.second = second;
    this.berth = berth;
    this.hosts = new HostsApi(berth.adminClient());
    this.api = new ContainerGroupsApi(berth.adminClient());
    Hosts.register(hosts, first, "127.0.0.2");
    Hosts.register(hosts, second, "127.0.0.3");
  }

  /** Engines named {@code firstName} and {@code secondName}; Berth with {@code berthArgs}. */
  static TwoEngineFleet start(String firstName, String secondName, List<String> berthArgs)
      throws Exception {
    Dockerd first = null;
    Dockerd second = null;
    BerthProcess berth = null;
    try {
      first = Dockerd.start(firstName);
      second = Dockerd.start(secondName);
      berth = BerthProcess.start(berthArgs);
      return new TwoEngineFleet(first, second, berth);
    } catch (Exception | Error e) {
      stop(first, second, berth);
      throw e;
    }
  }

  /** Stops Berth, then the engines (a stopped engine is resumed before it is stopped). */
  @Override
  public void close() {
    stop(first, second, berth);
  }

  private static void stop(Dockerd first, Dockerd second, BerthProcess berth) {
    try {
      if (berth != null) {
        berth.stop();
      }
    } finally {
      Stream.of(first, second).filter(Objects::nonNull).forEach(Dockerd::close);
    }
  }
}
