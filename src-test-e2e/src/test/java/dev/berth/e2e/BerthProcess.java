package dev.berth.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The built service, started once per test run as a separate process exactly as a user runs it
 * ({@code java -jar}), with its own data directory, a random port and a known admin key. Its output
 * goes to target/e2e/berth.log.
 */
public final class BerthProcess {

  private static BerthProcess instance;

  private final Process process;
  private final int port;
  private final String adminKey;
  private final Path workdir;
  private final List<String> extraArgs;
  private final Map<String, String> environment;

  private BerthProcess(
      Process process,
      int port,
      String adminKey,
      Path workdir,
      List<String> extraArgs,
      Map<String, String> environment) {
    this.process = process;
    this.port = port;
    this.adminKey = adminKey;
    this.workdir = workdir;
    this.extraArgs = List.copyOf(extraArgs);
    this.environment = Map.copyOf(environment);
  }

  /** The shared instance, started on first use and stopped when the test JVM exits. */
  public static synchronized BerthProcess get() {
    if (instance == null) {
      instance = start(List.of());
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  /** A separate instance (its own data directory), e.g. to kill and restart it. */
  public static BerthProcess start(List<String> extraArgs) {
    return start(extraArgs, Map.of());
  }

  /**
   * A separate instance with extra environment, e.g. {@code SPRING_DATASOURCE_URL} for a replica on
   * a shared database ({@link SharedPostgres}).
   */
  public static BerthProcess start(List<String> extraArgs, Map<String, String> environment) {
    try {
      Path workdir =
          Path.of(System.getProperty("berth.workdir", "target/e2e"))
              .toAbsolutePath()
              .resolve(UUID.randomUUID().toString());
      Files.createDirectories(workdir);
      return launch(workdir, freePort(), "e2e-admin-" + UUID.randomUUID(), extraArgs, environment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same Berth started again: same data directory, port and keys, as after a crash. */
  public BerthProcess restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("stop or kill it first");
    }
    return launch(workdir, port, adminKey, extraArgs, environment);
  }

  private static BerthProcess launch(
      Path workdir,
      int port,
      String adminKey,
      List<String> extraArgs,
      Map<String, String> environment) {
    try {
      Path jar =
          Path.of(System.getProperty("berth.jar", "../service/target/berth-service.jar"))
              .toAbsolutePath();
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "--server.port=" + port,
                  "--berth.data-dir=" + workdir.resolve("data"),
                  "--berth.reconcile.sweep-interval=2s",
                  // Short backoff so restart tests take seconds; the doubling itself is
                  // unit-tested.
                  "--berth.reconcile.backoff-initial=1s",
                  "--berth.reconcile.backoff-max=4s",
                  // Group maxima far above any test machine, so "more than any host has" is the
                  // same answer everywhere.
                  "--berth.limits.max-cpu-per-group=1000",
                  "--berth.limits.max-memory-in-gb-per-group=100000",
                  // Meter and check every second, cut segments every 2 s: a test run of a few
                  // seconds gets several segments, and its checks come at once.
                  "--berth.billing.meter-interval=1s",
                  "--berth.billing.segment-boundary=2s",
                  "--berth.billing.check-interval=1s",
                  // Usage sampled every 2 s, so a test sees a rate within seconds.
                  "--berth.usage.interval=2s",
                  // The tests' webhook receivers can only be on 127.0.0.1.
                  "--berth.webhooks.allow-private-addresses=true"));
      command.addAll(extraArgs);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(workdir.resolve("berth.log").toFile()));
      builder.environment().putAll(environment);
      builder.environment().put("BERTH_ADMIN_KEY", adminKey);
      BerthProcess berth =
          new BerthProcess(builder.start(), port, adminKey, workdir, extraArgs, environment);
      try {
        berth.awaitHealthy();
      } catch (RuntimeException | Error notHealthy) {
        // Never leave a Berth (and its PostgreSQL) running behind a failed test.
        berth.stop();
        throw notHealthy;
      }
      return berth;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newHttpClient();
    await("Berth on port " + port + " to be healthy (log: " + workdir.resolve("berth.log") + ")")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        // A Berth that exited will not become healthy: say so now, not after the whole wait.
        .failFast("Berth exited; see " + workdir.resolve("berth.log"), () -> !process.isAlive())
        .ignoreExceptions()
        .until(
            () -> {
              return http.send(
                          HttpRequest.newBuilder(URI.create(baseUri() + "/actuator/health"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
            });
  }

  public String baseUri() {
    return "http://127.0.0.1:" + port;
  }

  /** The process id, e.g. to tell replicas apart in logs. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String adminKey() {
    return adminKey;
  }

  /** Berth's data directory (embedded PostgreSQL lives in its postgres/ folder). */
  public Path dataDir() {
    return workdir.resolve("data");
  }

  public Path log() {
    return workdir.resolve("berth.log");
  }

  /** An SDK client that authenticates with {@code key}. */
  public ApiClient client(String key) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUri());
    client.setReadTimeout(Duration.ofSeconds(60));
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
    return client;
  }

  public ApiClient adminClient() {
    return client(adminKey);
  }

  /** Stops it as Ctrl-C does. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** kill -9, and wait until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
