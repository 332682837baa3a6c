package dev.berth.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port through which Berth drives one container host. Implementations: {@code
 * DockerContainerRuntime} (docker-java against a Docker engine) and, for tests, {@code
 * FakeContainerRuntime}; both pass the same contract suite.
 *
 * <p>Every method is idempotent so that a reconciler pass interrupted at any point (a crash, a
 * timeout) can simply be repeated: creating a container whose deterministic name already exists
 * returns the existing one, starting a running container, stopping a stopped one and removing an
 * absent one all succeed. Failures are {@link RuntimeFailure}s with a {@link RuntimeFailure.Kind}.
 */
public interface ContainerRuntime {

  /** Capacity and identity of the host, as the engine reports it. */
  HostDescription describeHost();

  /**
   * The cheapest call that shows the engine answers (Docker's {@code /_ping}): what a host's
   * watcher asks every few seconds, where {@link #describeHost()} would make the engine gather its
   * whole system state.
   */
  void ping();

  /**
   * Creates (but does not start) a container. If a container with {@code spec.name()} already
   * exists it is returned as it is, which makes a retried create after a crash safe.
   *
   * @return the engine's container id
   */
  String create(ContainerSpec spec);

  /**
   * Makes sure the host has {@code image}, pulling it when it has not.
   *
   * @return whether it had to be pulled
   * @throws RuntimeFailure of kind IMAGE_UNAVAILABLE when it is absent and cannot be pulled
   */
  boolean pullIfAbsent(String image);

  /** Whether the host has {@code image} (a name with a tag, or with a digest). */
  boolean hasImage(String image);

  /**
   * Pulls {@code image} from its registry, sending {@code auth} when it is not null, and returns
   * once the host has it. {@code progress} hears the bytes done and known so far as the engine
   * reports them, on the calling thread.
   *
   * @throws ImagePullFailure saying why the pull failed (unknown image, refused credential,
   *     unreachable registry, timeout)
   * @throws RuntimeFailure of kind HOST_UNREACHABLE when the engine itself does not answer
   */
  void pull(
      String image,
      RegistryAuth auth,
      Duration timeout,
      java.util.function.Consumer<PullProgress> progress);

  /** Every image on the host, with its size and when it was last used. */
  List<HostImage> listImages();

  /**
   * Removes an image with all its names; absent is fine.
   *
   * @throws RuntimeFailure of kind CONFLICT while a container is made from it
   */
  void removeImage(String imageId);

  /** Starts a created or exited container; a running container is left as it is. */
  void start(String containerId);

  /** Sends SIGTERM, then SIGKILL after {@code grace}; a container that is not running is left. */
  void stop(String containerId, Duration grace);

  /** Removes a container and its anonymous volumes, killing it if it runs; absent is fine. */
  void remove(String containerId);

  /** What the engine knows of one container, by id or name; empty when it does not exist. */
  Optional<ContainerObservation> inspect(String containerIdOrName);

  /**
   * The container's output since {@code since} (everything when null), oldest first, at most the
   * last {@code maxLines} lines. Lines of every run of the container, with the engine's timestamps.
   */
  List<LogLine> logs(String containerId, Instant since, int maxLines);

  /**
   * Follows a container's output: every line stamped after {@code after} (every line when null),
   * first those already written, then each as the engine reads it, until the container stops (after
   * its last line), is removed, or the follow is closed. {@code onLine} hears the lines in the
   * order the engine wrote them, on a thread of the runtime's; {@code ended} runs once when the
   * follow ends, whichever way (also when the engine stops answering).
   *
   * @throws RuntimeFailure of kind NOT_FOUND when there is no such container
   */
  LogFollow followLogs(
      String containerId,
      Instant after,
      java.util.function.Consumer<LogLine> onLine,
      Runnable ended);

  /**
   * What a running container uses now, in one call that does not wait for a second sample (the
   * engine's one-shot stats); empty when the container does not run or does not exist.
   */
  Optional<ContainerUsage> usage(String containerId);

  /**
   * Runs {@code argv} inside a running container, without a terminal, and collects its output (at
   * most {@code maxOutputBytes} of each stream) until it exits or {@code deadline} passes.
   */
  ExecResult exec(String containerId, List<String> argv, Duration deadline, int maxOutputBytes);

  /**
   * Starts {@code argv} in a running container with a terminal of {@code rows} x {@code columns}.
   * What the terminal shows goes to {@code output} as it comes; {@code ended} runs once when the
   * command has ended (or the session broke).
   */
  ExecSession openExec(
      String containerId,
      List<String> argv,
      int rows,
      int columns,
      java.util.function.Consumer<byte[]> output,
      Runnable ended);

  /** Creates a named volume, or leaves an existing one of that name as it is. */
  void ensureVolume(String name, Map<String, String> labels);

  /** Every named volume carrying {@link Labels#MANAGED} and each of {@code labels}. */
  List<ManagedVolume> listManagedVolumes(Map<String, String> labels);

  /** Removes a named volume; absent is fine. Fails while a container still uses it. */
  void removeVolume(String name);

  /**
   * Writes {@code files} (name to content) into the root of a volume, replacing files of the same
   * names, through a short-lived helper container of {@code helperImage}.
   */
  void writeVolume(String name, Map<String, byte[]> files, String helperImage);

  /**
   * Creates a named volume that is {@code hostDirectory} of the host (which must exist there: a
   * share of a file system every host mounts), or leaves an existing one of that name as it is.
   * Removing the volume leaves the directory and its files.
   */
  void ensureHostDirectoryVolume(String name, String hostDirectory, Map<String, String> labels);

  /**
   * Copies the tree under {@code source}, a directory of the machine this code runs on, into the
   * root of a volume (file modes kept), through a short-lived helper container of {@code
   * helperImage}.
   */
  void copyIntoVolume(String name, java.nio.file.Path source, String helperImage);

  /** Whether the volume holds {@code file}, a path relative to its root. */
  boolean volumeHasFile(String name, String file, String helperImage);

  /**
   * Every container on this host that carries {@link Labels#MANAGED} and each of {@code labels}
   * (e.g. one group's id), running or not. An empty map lists every managed container.
   */
  List<ManagedContainer> listManaged(Map<String, String> labels);

  /**
   * Calls {@code onEvent} with every death and removal of a container carrying {@link
   * Labels#MANAGED} and each of {@code labels}, from {@code since} until {@code until} by the
   * engine's clock, as they happen: events already past are replayed as far as the engine still
   * holds them, and the call returns once {@code until} has passed. A caller follows a host without
   * a gap by asking for the next window from where the last one ended.
   *
   * @throws RuntimeFailure when the host stops answering before {@code until}
   */
  void followEvents(
      Map<String, String> labels,
      Instant since,
      Instant until,
      java.util.function.Consumer<ContainerEvent> onEvent);
}
