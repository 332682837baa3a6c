package dev.berth.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerRuntimeContract;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The contract suite on the real engine (scripts/test starts it and builds the sample image). */
class DockerContainerRuntimeIT extends ContainerRuntimeContract {

  private static final DockerContainerRuntime RUNTIME =
      new DockerContainerRuntime(
          DockerEndpoint.local(
              System.getenv()
                  .getOrDefault("BERTH_TEST_DOCKER_HOST", "unix:///var/run/docker.sock")));

  @Override
  protected ContainerRuntime runtime() {
    return RUNTIME;
  }

  @Override
  protected String image() {
    return System.getenv().getOrDefault("BERTH_TEST_IMAGE", "berth/busybox:1");
  }

  @AfterAll
  static void close() throws Exception {
    RUNTIME.close();
  }

  @Test
  void anImageThatCannotBePulledIsReportedAsUnavailable() {
    ContainerSpec spec = spec(List.of("true"));
    ContainerSpec missing =
        new ContainerSpec(
            spec.name(),
            "127.0.0.1:1/berth/no-such-image:0",
            spec.command(),
            spec.environment(),
            spec.labels(),
            spec.resources(),
            spec.isolation());
    assertThatThrownBy(() -> RUNTIME.create(missing))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.IMAGE_UNAVAILABLE));
  }

  @Test
  void anEngineThatIsNotThereIsUnreachable() throws Exception {
    try (DockerContainerRuntime absent =
        new DockerContainerRuntime(
            new DockerEndpoint(
                "unix:///tmp/berth-no-such-engine.sock",
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2)))) {
      assertThatThrownBy(absent::describeHost)
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.HOST_UNREACHABLE));
    }
  }
}
