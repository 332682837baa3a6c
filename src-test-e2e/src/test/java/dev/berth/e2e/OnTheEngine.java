package dev.berth.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * What an operator can do on the local engine behind Berth's back: through the engine's own socket
 * (Testcontainers' client), never through the socket Berth uses.
 */
final class OnTheEngine {

  private final DockerClient docker = DockerClientFactory.instance().client();

  /** The containers carrying all of {@code labels}, running or not. */
  List<Container> containers(Map<String, String> labels) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  void kill(String containerId) {
    docker.killContainerCmd(containerId).exec();
  }

  /** As {@code docker rm -f}. */
  void remove(String containerId) {
    docker.removeContainerCmd(containerId).withForce(true).exec();
  }

  /**
   * Starts a sleeper with {@code labels} under a name Berth never gives a container ({@code
   * handmade-<name>-<random>}).
   *
   * @return its id
   */
  String startByHand(String name, Map<String, String> labels) {
    String id =
        docker
            .createContainerCmd(Groups.IMAGE)
            .withName("handmade-" + name + "-" + UUID.randomUUID().toString().substring(0, 8))
            .withLabels(labels)
            .withCmd("sleep", "3600")
            // An init as PID 1 passes SIGTERM on to sleep, so a stop does not wait out its grace.
            .withHostConfig(HostConfig.newHostConfig().withInit(true))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  /** When the engine last started the container. */
  Instant startedAt(String containerId) {
    return Instant.parse(docker.inspectContainerCmd(containerId).exec().getState().getStartedAt());
  }
}
