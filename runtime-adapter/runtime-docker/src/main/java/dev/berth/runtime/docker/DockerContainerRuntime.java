package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.berth.runtime.ContainerEvent;
import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.ExecSession;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.Labels;
import dev.berth.runtime.LogLine;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on one Docker engine through docker-java. Every call is bounded by the
 * HTTP client's connect and response timeouts (docker-java has none by default), and every failure
 * leaves as a typed {@link RuntimeFailure}.
 */
public final class DockerContainerRuntime implements ContainerRuntime, Closeable {

  private static final Logger log = LoggerFactory.getLogger(DockerContainerRuntime.class);
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final DockerEndpoint endpoint;
  private final DockerClient client;
  private final DockerLogsAndExec streams;
  private final DockerVolumes volumes;
  private final DockerContainerCreation creation;
  private final DockerImages images;
  private final DockerUsage usage;

  public DockerContainerRuntime(DockerEndpoint endpoint) {
    this.endpoint = endpoint;
    DefaultDockerClientConfig.Builder config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint.uri());
    if (endpoint.tlsCertPath() != null) {
      config.withDockerTlsVerify(true).withDockerCertPath(endpoint.tlsCertPath());
    } else {
      config.withDockerTlsVerify(false);
    }
    // The API version stays unpinned: docker-java then sends unversioned paths and the engine
    // answers with its own version, which works from Docker 20.10 on.
    DefaultDockerClientConfig built = config.build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(built.getDockerHost())
            .sslConfig(built.getSSLConfig())
            .maxConnections(32)
            .connectionTimeout(endpoint.connectTimeout())
            .responseTimeout(endpoint.responseTimeout())
            .build();
    this.client = DockerClientImpl.getInstance(built, http);
    this.streams = new DockerLogsAndExec(client, endpoint.responseTimeout());
    this.volumes = new DockerVolumes(client);
    this.creation = new DockerContainerCreation(client);
    this.images = new DockerImages(client);
    // Stats calls of their own connections: the engine answers a one-shot stats call at its next
    // collection tick (every second), so many wait at once, and must not take the connections the
    // reconciler's calls need.
    this.usage =
        new DockerUsage(
            new ApacheDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(endpoint.connectTimeout())
                .responseTimeout(endpoint.responseTimeout())
                .build());
  }

  @Override
  public HostDescription describeHost() {
    Info info = call("describe host", () -> client.infoCmd().exec());
    return new HostDescription(
        info.getNCPU() == null ? 0 : info.getNCPU(),
        info.getMemTotal() == null ? 0 : info.getMemTotal(),
        info.getServerVersion());
  }

  @Override
  public void ping() {
    call("ping", () -> client.pingCmd().exec());
  }

  @Override
  public String create(ContainerSpec spec) {
    try {
      return creation.create(spec);
    } catch (NotFoundException missingImage) {
      // Not pulled here: a pull without the group's registry credentials, on the caller's thread,
      // would fail a private image as refused. The caller pulls it as it pulls any image.
      throw new RuntimeFailure(
          Kind.IMAGE_UNAVAILABLE,
          "create " + spec.name() + ": image " + spec.image() + " is not on the host",
          missingImage);
    } catch (ConflictException nameTaken) {
      // A retried create (after a crash or a timeout whose request did reach the engine).
      return adoptExisting(spec, nameTaken);
    } catch (RuntimeException e) {
      throw DockerFailures.translate("create " + spec.name(), e);
    }
  }

  private String adoptExisting(ContainerSpec spec, ConflictException cause) {
    ContainerObservation existing =
        inspect(spec.name())
            .orElseThrow(() -> DockerFailures.translate("create " + spec.name(), cause));
    if (!existing.labels().entrySet().containsAll(spec.labels().entrySet())) {
      // Same name, other owner or other generation: adopting it would run the wrong spec.
      throw new RuntimeFailure(
          Kind.CONFLICT,
          "create "
              + spec.name()
              + ": the name is taken by a container with other ownership labels");
    }
    return existing.id();
  }

  @Override
  public boolean pullIfAbsent(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return false;
    } catch (NotFoundException absent) {
      pull(image);
      return true;
    } catch (RuntimeException e) {
      throw DockerFailures.translate("inspect image " + image, e);
    }
  }

  private void pull(String image) {
    log.info("Pulling image {} on {}", image, endpoint.uri());
    images.pull(image, null, endpoint.pullTimeout(), progress -> {});
  }

  @Override
  public boolean hasImage(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException absent) {
      return false;
    } catch (RuntimeException e) {
      throw DockerFailures.translate("inspect image " + image, e);
    }
  }

  /** The credential is never logged: only the image and the registry's host are. */
  @Override
  public void pull(
      String image,
      dev.berth.runtime.RegistryAuth auth,
      Duration timeout,
      java.util.function.Consumer<dev.berth.runtime.PullProgress> progress) {
    log.info(
        "Pulling image {} on {}{}",
        image,
        endpoint.uri(),
        auth == null ? "" : " as " + auth.username() + "@" + auth.server());
    images.pull(image, auth, timeout, progress);
  }

  @Override
  public List<dev.berth.runtime.HostImage> listImages() {
    return call("list images", images::list);
  }

  @Override
  public void removeImage(String imageId) {
    try {
      images.remove(imageId);
    } catch (RuntimeFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw DockerFailures.translate("remove image " + imageId, e);
    }
  }

  @Override
  public void start(String containerId) {
    try {
      client.startContainerCmd(containerId).exec();
    } catch (NotModifiedException alreadyRunning) {
      // Idempotent: a retried start.
    } catch (RuntimeException e) {
      throw DockerFailures.translate("start " + containerId, e);
    }
  }

  @Override
  public void stop(String containerId, Duration grace) {
    try {
      client.stopContainerCmd(containerId).withTimeout((int) grace.toSeconds()).exec();
    } catch (NotModifiedException alreadyStopped) {
      // Idempotent: stopping an exited container.
    } catch (RuntimeException e) {
      throw DockerFailures.translate("stop " + containerId, e);
    }
  }

  @Override
  public void remove(String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException alreadyGone) {
      // Idempotent.
    } catch (ConflictException removalInProgress) {
      // The engine is already removing it; the next inspect shows it gone.
    } catch (RuntimeException e) {
      throw DockerFailures.translate("remove " + containerId, e);
    }
  }

  @Override
  public Optional<ContainerObservation> inspect(String containerIdOrName) {
    InspectContainerResponse response;
    try {
      response = client.inspectContainerCmd(containerIdOrName).exec();
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw DockerFailures.translate("inspect " + containerIdOrName, e);
    }
    return Optional.of(observation(response));
  }

  private static ContainerObservation observation(InspectContainerResponse response) {
    var state = response.getState();
    ContainerStatus status = status(state.getStatus());
    Long exitCode = state.getExitCodeLong();
    var hostConfig = response.getHostConfig();
    long nanoCpus = hostConfig.getNanoCPUs() == null ? 0 : hostConfig.getNanoCPUs();
    long memory = hostConfig.getMemory() == null ? 0 : hostConfig.getMemory();
    String error = state.getError();
    return new ContainerObservation(
        response.getId(),
        stripSlash(response.getName()),
        response.getConfig().getLabels() == null ? Map.of() : response.getConfig().getLabels(),
        status,
        status == ContainerStatus.EXITED && exitCode != null ? exitCode.intValue() : null,
        time(state.getStartedAt()),
        status == ContainerStatus.RUNNING ? null : time(state.getFinishedAt()),
        Boolean.TRUE.equals(state.getOOMKilled()),
        error == null || error.isBlank() ? null : error,
        nanoCpus > 0 && memory > 0 ? new ContainerResources(nanoCpus, memory) : null,
        status == ContainerStatus.RUNNING ? ipAddress(response) : null);
  }

  /** The address on the container's first network (Berth's containers have one: the bridge). */
  private static String ipAddress(InspectContainerResponse response) {
    var settings = response.getNetworkSettings();
    if (settings == null || settings.getNetworks() == null) {
      return null;
    }
    return settings.getNetworks().values().stream()
        .map(network -> network.getIpAddress())
        .filter(ip -> ip != null && !ip.isBlank())
        .findFirst()
        .orElse(null);
  }

  @Override
  public List<LogLine> logs(String containerId, Instant since, int maxLines) {
    try {
      return streams.logs(containerId, since, maxLines);
    } catch (RuntimeException e) {
      throw DockerFailures.translate("logs " + containerId, e);
    }
  }

  @Override
  public ExecResult exec(
      String containerId, List<String> argv, Duration deadline, int maxOutputBytes) {
    try {
      return streams.exec(containerId, argv, deadline, maxOutputBytes);
    } catch (RuntimeException e) {
      throw DockerFailures.translate("exec in " + containerId, e);
    }
  }

  @Override
  public Optional<dev.berth.runtime.ContainerUsage> usage(String containerId) {
    try {
      return usage.of(containerId);
    } catch (RuntimeException e) {
      throw DockerFailures.translate("stats of " + containerId, e);
    }
  }

  @Override
  public dev.berth.runtime.LogFollow followLogs(
      String containerId,
      Instant after,
      java.util.function.Consumer<LogLine> onLine,
      Runnable ended) {
    try {
      return streams.follow(containerId, after, onLine, ended);
    } catch (RuntimeException e) {
      throw DockerFailures.translate("follow logs of " + containerId, e);
    }
  }

  @Override
  public ExecSession openExec(
      String containerId,
      List<String> argv,
      int rows,
      int columns,
      java.util.function.Consumer<byte[]> output,
      Runnable ended) {
    try {
      DockerExecSession session =
          new DockerExecSession(client, containerId, argv, rows, columns, output, ended);
      session.resize(rows, columns);
      return session;
    } catch (RuntimeException e) {
      throw DockerFailures.translate("exec in " + containerId, e);
    }
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    call(
        "create volume " + name,
        () -> {
          volumes.ensure(name, labels);
          return null;
        });
  }

  @Override
  public List<dev.berth.runtime.ManagedVolume> listManagedVolumes(Map<String, String> labels) {
    return call("list volumes", () -> volumes.list(labels));
  }

  @Override
  public void removeVolume(String name) {
    call(
        "remove volume " + name,
        () -> {
          volumes.remove(name);
          return null;
        });
  }

  @Override
  public void writeVolume(String name, Map<String, byte[]> files, String helperImage) {
    call(
        "write volume " + name,
        () -> {
          volumes.write(name, files, helperImage);
          return null;
        });
  }

  @Override
  public void ensureHostDirectoryVolume(
      String name, String hostDirectory, Map<String, String> labels) {
    call(
        "create volume " + name,
        () -> {
          volumes.ensureHostDirectory(name, hostDirectory, labels);
          return null;
        });
  }

  @Override
  public void copyIntoVolume(String name, java.nio.file.Path source, String helperImage) {
    call(
        "copy into volume " + name,
        () -> {
          volumes.copyInto(name, source, helperImage);
          return null;
        });
  }

  @Override
  public boolean volumeHasFile(String name, String file, String helperImage) {
    return call("look into volume " + name, () -> volumes.hasFile(name, file, helperImage));
  }

  @Override
  public List<ManagedContainer> listManaged(Map<String, String> labels) {
    Map<String, String> filter = new java.util.HashMap<>(labels);
    filter.put(Labels.MANAGED, "true");
    return call(
        "list managed",
        () ->
            client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec().stream()
                .map(
                    c ->
                        new ManagedContainer(
                            c.getId(),
                            c.getNames() == null || c.getNames().length == 0
                                ? c.getId()
                                : stripSlash(c.getNames()[0]),
                            c.getLabels() == null ? Map.of() : c.getLabels(),
                            status(c.getState()),
                            // The listing's Created is epoch seconds.
                            c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated())))
                .toList());
  }

  private static ContainerStatus status(String engineStatus) {
    if (engineStatus == null) {
      return ContainerStatus.REMOVING;
    }
    return switch (engineStatus) {
      case "created" -> ContainerStatus.CREATED;
      case "running", "paused", "restarting" -> ContainerStatus.RUNNING;
      case "exited" -> ContainerStatus.EXITED;
      default -> ContainerStatus.REMOVING;
    };
  }

  /** Docker's zero time means "never"; every other value is an RFC 3339 instant. */
  static Instant time(String engineTime) {
    if (engineTime == null
        || engineTime.isBlank()
        || engineTime.startsWith(ZERO_TIME.substring(0, 10))) {
      return null;
    }
    return Instant.parse(engineTime);
  }

  private static String stripSlash(String name) {
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  @Override
  public void followEvents(
      Map<String, String> labels,
      Instant since,
      Instant until,
      java.util.function.Consumer<ContainerEvent> onEvent) {
    Map<String, String> filter = new java.util.HashMap<>(labels);
    filter.put(Labels.MANAGED, "true");
    var broken = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var callback =
        new com.github.dockerjava.api.async.ResultCallback.Adapter<Event>() {
          @Override
          public void onNext(Event event) {
            if (event.getActor() == null || event.getActor().getId() == null) {
              return;
            }
            Long nanos = event.getTimeNano();
            onEvent.accept(
                new ContainerEvent(
                    event.getActor().getId(),
                    event.getAction(),
                    event.getActor().getAttributes() == null
                        ? Map.of()
                        : event.getActor().getAttributes(),
                    nanos != null
                        ? Instant.ofEpochSecond(0, nanos)
                        : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime())));
          }

          /**
           * Kept for the caller instead of the template's default, which logs every broken stream
           * as an error with its stack trace; a follower that reconnects reports it once itself.
           */
          @Override
          public void onError(Throwable throwable) {
            broken.compareAndSet(null, throwable);
            try {
              close();
            } catch (IOException ignored) {
              // The stream is gone either way.
            }
          }
        };
    // Closed however the window ends, so an interrupted follower leaves no stream open.
    try (callback) {
      client
          .eventsCmd()
          .withEventTypeFilter(EventType.CONTAINER)
          .withEventFilter(ContainerEvent.DIED, ContainerEvent.REMOVED)
          .withLabelFilter(filter)
          .withSince(engineTime(since))
          .withUntil(engineTime(until))
          .exec(callback);
      // The engine ends the stream at until; a host that stops answering does not.
      long waitMillis =
          Math.max(0, Duration.between(Instant.now(), until).toMillis())
              + endpoint.responseTimeout().toMillis();
      if (!callback.awaitCompletion(waitMillis, TimeUnit.MILLISECONDS)) {
        throw new RuntimeFailure(Kind.TRANSIENT, "events: the engine did not end the stream");
      }
      Throwable failure = broken.get();
      if (failure instanceof RuntimeException e) {
        throw DockerFailures.translate("events", e);
      }
      if (failure != null) {
        throw new RuntimeFailure(Kind.TRANSIENT, "events: " + failure.getMessage(), failure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(Kind.TRANSIENT, "events: interrupted", e);
    } catch (IOException e) {
      throw new RuntimeFailure(Kind.TRANSIENT, "events: " + e.getMessage(), e);
    } catch (RuntimeFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw DockerFailures.translate("events", e);
    }
  }

  /** The Engine API's event times: seconds since the epoch, with nanoseconds after the point. */
  private static String engineTime(Instant at) {
    return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
  }

  private static <T> T call(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw DockerFailures.translate(operation, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      usage.close();
    } finally {
      client.close();
    }
  }
}
