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
  void aVolumeHeldByAHelperLeftBehindByADeadProcessIsStillRemoved() {
    String volume = "berth-contract-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    RUNTIME.ensureVolume(volume, java.util.Map.of(dev.berth.runtime.Labels.MANAGED, "true"));
    ContainerSpec base = spec(List.of("true"));
    // What a process killed between creating a helper and removing it leaves: a created,
    // never started container that mounts the volume.
    String leftover =
        RUNTIME.create(
            new ContainerSpec(
                DockerVolumes.HELPER_PREFIX + java.util.UUID.randomUUID(),
                base.image(),
                base.command(),
                base.environment(),
                base.labels(),
                base.resources(),
                base.isolation(),
                List.of(),
                null,
                List.of(new dev.berth.runtime.VolumeMount(volume, "/volume", false))));

    RUNTIME.removeVolume(volume);

    assertThat(RUNTIME.listManagedVolumes(java.util.Map.of()))
        .noneMatch(v -> v.name().equals(volume));
    assertThat(RUNTIME.inspect(leftover)).isEmpty();
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
  void aPublishedPortAnswersOnItsAddressAndAJoiningContainerSharesTheNamespace() throws Exception {
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    ContainerSpec base =
        spec(List.of("sh", "-c", "echo hello > /tmp/index.html; httpd -f -p " + port + " -h /tmp"));
    ContainerSpec server =
        new ContainerSpec(
            base.name(),
            base.image(),
            base.command(),
            base.environment(),
            base.labels(),
            base.resources(),
            base.isolation(),
            List.of(new dev.berth.runtime.PortBinding(port, "tcp", "127.0.0.1")),
            null,
            List.of());
    String serverId = RUNTIME.create(server);
    created(serverId);
    RUNTIME.start(serverId);

    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI page = java.net.URI.create("http://127.0.0.1:" + port + "/index.html");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        java.net.http.HttpRequest.newBuilder(page).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body()
                    .equals("hello\n"));

    ContainerSpec other = spec(List.of("sleep", "300"));
    ContainerSpec joining =
        new ContainerSpec(
            other.name(),
            other.image(),
            other.command(),
            other.environment(),
            other.labels(),
            other.resources(),
            other.isolation(),
            List.of(),
            server.name(),
            List.of());
    String joiningId = RUNTIME.create(joining);
    created(joiningId);
    RUNTIME.start(joiningId);
    var fetched =
        RUNTIME.exec(
            joiningId,
            List.of("wget", "-qO-", "http://localhost:" + port + "/index.html"),
            java.time.Duration.ofSeconds(30),
            1024);
    assertThat(fetched.stdout()).isEqualTo("hello\n");
    assertThat(fetched.exitCode()).isZero();
  }

  @Test
  void filesWrittenToAVolumeAreReadThroughAReadOnlyMount() {
    String volume = "berth-it-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    RUNTIME.ensureVolume(volume, java.util.Map.of("dev.berth.managed", "true"));
    RUNTIME.writeVolume(volume, java.util.Map.of("token", "s3cret\n".getBytes()), image());
    ContainerSpec base = spec(List.of("sleep", "300"));
    ContainerSpec reader =
        new ContainerSpec(
            base.name(),
            base.image(),
            base.command(),
            base.environment(),
            base.labels(),
            base.resources(),
            base.isolation(),
            List.of(),
            null,
            List.of(new dev.berth.runtime.VolumeMount(volume, "/mnt/secrets", true)));
    String id = RUNTIME.create(reader);
    created(id);
    RUNTIME.start(id);

    var read =
        RUNTIME.exec(
            id, List.of("cat", "/mnt/secrets/token"), java.time.Duration.ofSeconds(30), 1024);
    assertThat(read.stdout()).isEqualTo("s3cret\n");
    var write =
        RUNTIME.exec(
            id,
            List.of("sh", "-c", "echo x > /mnt/secrets/other"),
            java.time.Duration.ofSeconds(30),
            1024);
    assertThat(write.exitCode()).isNotZero();

    RUNTIME.remove(id);
    RUNTIME.removeVolume(volume);
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
