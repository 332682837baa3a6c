package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.berth.sdk.ApiClient;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The image scripts/build-image makes (scripts/test builds it first) runs Berth as shipped: as its
 * own non-root user, with embedded PostgreSQL (no SPRING_DATASOURCE_URL), and with the local engine
 * as its one host through the mounted socket. Berth's output goes to
 * target/e2e/container-image.log.
 *
 * <p>The container keeps the image's user and only gets the socket's group added: running it as
 * root would not test the image as it is deployed, and PostgreSQL refuses to run as root anyway.
 */
class ContainerImageE2E {

  private static final String SOCKET = "/var/run/docker.sock";
  private static final ExposedPort HTTP = ExposedPort.tcp(8080);

  private final DockerClient docker = DockerClientFactory.instance().client();
  private final Path jar =
      Path.of(System.getProperty("berth.jar", "../service/target/berth-service.jar"))
          .toAbsolutePath();
  private final Path log =
      Path.of(System.getProperty("berth.workdir", "target/e2e"))
          .toAbsolutePath()
          .resolve("container-image.log");
  private final String subscription = Groups.unique("image");
  private String containerId;

  @Test
  void runsAsItsOwnUserWithEmbeddedPostgresAndDrivesTheLocalEngine() throws Exception {
    String image = "berth/berth:" + versionOf(jar);
    InspectImageResponse built = inspectImage(image);
    assertThat(built.getConfig().getLabels())
        .as("%s holds another jar than %s: run scripts/build-image", image, jar)
        .containsEntry("dev.berth.jar-sha256", sha256(jar));
    assertThat(built.getConfig().getUser()).isEqualTo("10001:10001");

    String adminKey = "image-e2e-" + UUID.randomUUID();
    int socketGroup = (Integer) Files.getAttribute(Path.of(SOCKET), "unix:gid");
    containerId =
        docker
            .createContainerCmd(image)
            .withName("berth-image-e2e-" + subscription)
            .withLabels(Map.of("dev.berth.e2e", "container-image"))
            .withEnv("BERTH_ADMIN_KEY=" + adminKey, "BERTH_DOCKER_HOST=unix://" + SOCKET)
            .withExposedPorts(HTTP)
            .withHostConfig(
                HostConfig.newHostConfig()
                    // An ephemeral port, on loopback only.
                    .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), HTTP))
                    .withBinds(new Bind(SOCKET, new Volume(SOCKET)))
                    .withGroupAdd(List.of(String.valueOf(socketGroup))))
            .exec()
            .getId();
    docker.startContainerCmd(containerId).exec();
    String baseUri = "http://127.0.0.1:" + publishedPort();

    awaitHealthy(baseUri);

    // Embedded PostgreSQL is up (the health above includes the database) and the engine answers
    // through the socket: a group runs on it and goes again when deleted.
    ContainerGroupsApi api = new ContainerGroupsApi(client(baseUri, adminKey));
    api.containerGroupsCreateOrUpdate(
        subscription,
        "rg1",
        "sleeper",
        API_VERSION,
        Groups.group("Never", Groups.container("main", 0.5, 0.25, "sleep", "600")));
    Groups.awaitState(api, subscription, "rg1", "sleeper", "Running");
    assertThat(groupContainers())
        .singleElement()
        .extracting(Container::getState)
        .isEqualTo("running");

    api.containerGroupsDelete(subscription, "rg1", "sleeper", API_VERSION);
    await("the group's container to be removed from the engine")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> groupContainers().isEmpty());
  }

  @AfterEach
  void removeContainers() throws Exception {
    if (containerId != null) {
      saveLog();
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    }
    // What Berth left on the engine if the test stopped half-way.
    for (Container left : groupContainers()) {
      docker.removeContainerCmd(left.getId()).withForce(true).exec();
    }
  }

  private InspectImageResponse inspectImage(String image) {
    try {
      return docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(image + " is not on the engine: run scripts/build-image", e);
    }
  }

  private int publishedPort() {
    Ports.Binding[] bindings =
        docker
            .inspectContainerCmd(containerId)
            .exec()
            .getNetworkSettings()
            .getPorts()
            .getBindings()
            .get(HTTP);
    return Integer.parseInt(bindings[0].getHostPortSpec());
  }

  private void awaitHealthy(String baseUri) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUri + "/actuator/health")).build();
    // Minutes, not seconds: a cold JVM, initdb and the migrations on a shared 2-core machine.
    await("Berth in the container to be healthy (log: " + log + ")")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(
            () -> {
              var state = docker.inspectContainerCmd(containerId).exec().getState();
              if (!Boolean.TRUE.equals(state.getRunning())) {
                saveLog();
                throw new IllegalStateException(
                    "the container exited with " + state.getExitCodeLong() + "; see " + log);
              }
              return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
  }

  private List<Container> groupContainers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("dev.berth.subscription", subscription))
        .exec();
  }

  private static ApiClient client(String baseUri, String key) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUri);
    client.setReadTimeout(Duration.ofSeconds(60));
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
    return client;
  }

  private void saveLog() throws InterruptedException, IOException {
    StringBuilder output = new StringBuilder();
    docker
        .logContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            })
        .awaitCompletion(30, TimeUnit.SECONDS);
    Files.createDirectories(log.getParent());
    Files.writeString(log, output);
  }

  /** The version Maven built the jar as; build-image tags the image with it. */
  private static String versionOf(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in =
            file.getInputStream(
                file.getEntry("META-INF/maven/dev.berth/berth-service/pom.properties"))) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
