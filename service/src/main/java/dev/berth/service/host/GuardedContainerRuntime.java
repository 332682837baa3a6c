package dev.berth.service.host;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.ExecSession;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.LogLine;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A host's runtime behind that host's own circuit breaker and bulkhead, with a deadline on every
 * call, so one slow or dead engine never holds the threads that serve the API and the other hosts.
 *
 * <p>The deadline is enforced here rather than trusted to the HTTP client: docker-java's
 * Unix-socket transport does not honour its response timeout, and an engine that accepts a
 * connection and never answers would otherwise block a caller forever. Calls run on the host's own
 * small thread pool (a Resilience4j thread-pool bulkhead); the caller waits at most the deadline. A
 * call stuck in a socket read keeps only one of that host's threads, and the breaker, which counts
 * the timeouts, soon stops sending it more.
 *
 * <p>The breaker counts only what says "the engine is in trouble" (unreachable, timeouts, 5xx, a
 * full bulkhead); a missing container or a refused spec is an answer, not a fault.
 */
public final class GuardedContainerRuntime implements ContainerRuntime, AutoCloseable {

  /**
   * Tuning for Docker rather than the library's defaults (100 calls before a breaker may open, 25
   * concurrent calls): a dead engine is cut off after a handful of failures, and only a few calls
   * run on one engine at once, because more only queue inside dockerd.
   *
   * @param callTimeout deadline of every call but create and stop
   * @param createTimeout deadline of a create, which may include pulling the image
   */
  public record Guards(
      int slidingWindow,
      int minimumCalls,
      float failureRatePercent,
      Duration openFor,
      int maxConcurrentCalls,
      int queueCapacity,
      Duration callTimeout,
      Duration createTimeout) {

    public static Guards dockerDefaults(Duration callTimeout, Duration createTimeout) {
      return new Guards(10, 4, 50f, Duration.ofSeconds(15), 4, 32, callTimeout, createTimeout);
    }
  }

  private final String hostId;
  private final ContainerRuntime delegate;
  private final Guards guards;
  private final EngineCallTimer timer;
  private final CircuitBreaker breaker;
  private final ThreadPoolBulkhead bulkhead;

  public GuardedContainerRuntime(String hostId, ContainerRuntime delegate, Guards guards) {
    this(hostId, delegate, guards, EngineCallTimer.NONE);
  }

  public GuardedContainerRuntime(
      String hostId, ContainerRuntime delegate, Guards guards, EngineCallTimer timer) {
    this.hostId = hostId;
    this.delegate = delegate;
    this.guards = guards;
    this.timer = timer;
    this.breaker =
        CircuitBreaker.of(
            "host-" + hostId,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(guards.slidingWindow())
                .minimumNumberOfCalls(guards.minimumCalls())
                .failureRateThreshold(guards.failureRatePercent())
                .waitDurationInOpenState(guards.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(GuardedContainerRuntime::isEngineFault)
                .build());
    this.bulkhead =
        ThreadPoolBulkhead.of(
            "host-" + hostId,
            ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(guards.maxConcurrentCalls())
                .maxThreadPoolSize(guards.maxConcurrentCalls())
                .queueCapacity(guards.queueCapacity())
                .writableStackTraceEnabled(false)
                .build());
  }

  static boolean isEngineFault(Throwable t) {
    return t instanceof RuntimeFailure f
        && (f.kind() == Kind.HOST_UNREACHABLE || f.kind() == Kind.TRANSIENT);
  }

  /** The breaker's state (open while the host is cut off). */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  private <T> T guarded(String operation, Duration deadline, Supplier<T> call) {
    return throughBreaker(operation, () -> withDeadline(operation, deadline, call));
  }

  /** The call through the breaker, timed with its outcome. */
  private <T> T throughBreaker(String operation, Supplier<T> call) {
    long started = System.nanoTime();
    String outcome = "ok";
    try {
      return breaker.executeSupplier(call);
    } catch (CallNotPermittedException open) {
      outcome = "circuit_open";
      throw new RuntimeFailure(
          Kind.HOST_UNREACHABLE,
          operation + ": host is cut off after repeated failures (circuit open)",
          open);
    } catch (RuntimeFailure failure) {
      outcome = failure.kind().name().toLowerCase(java.util.Locale.ROOT);
      throw failure;
    } catch (RuntimeException other) {
      outcome = "error";
      throw other;
    } finally {
      timer.record(hostId, operation.replace(' ', '_'), outcome, System.nanoTime() - started);
    }
  }

  private <T> T withDeadline(String operation, Duration deadline, Supplier<T> call) {
    CompletableFuture<T> result;
    try {
      result = bulkhead.executeSupplier(call).toCompletableFuture();
    } catch (BulkheadFullException full) {
      throw new RuntimeFailure(
          Kind.TRANSIENT, operation + ": host is busy (too many calls in flight)", full);
    }
    try {
      return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      result.cancel(true);
      throw new RuntimeFailure(
          Kind.HOST_UNREACHABLE,
          operation + ": engine did not answer within " + deadline.toSeconds() + " s",
          late);
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new RuntimeFailure(Kind.TRANSIENT, operation + ": " + cause, cause);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(Kind.TRANSIENT, operation + ": interrupted", interrupted);
    }
  }

  private void guardedRun(String operation, Duration deadline, Runnable call) {
    guarded(
        operation,
        deadline,
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public HostDescription describeHost() {
    return guarded("describe host", guards.callTimeout(), delegate::describeHost);
  }

  @Override
  public void ping() {
    guarded(
        "ping",
        guards.callTimeout(),
        () -> {
          delegate.ping();
          return null;
        });
  }

  @Override
  public String create(ContainerSpec spec) {
    return guarded("create", guards.createTimeout(), () -> delegate.create(spec));
  }

  @Override
  public boolean pullIfAbsent(String image) {
    return guarded("pull", guards.createTimeout(), () -> delegate.pullIfAbsent(image));
  }

  @Override
  public boolean hasImage(String image) {
    return guarded("inspect image", guards.callTimeout(), () -> delegate.hasImage(image));
  }

  /**
   * Not through the bulkhead, whose threads are for short calls: a pull lasts as long as its
   * timeout allows, on the caller's thread. Only an engine that does not answer counts against the
   * breaker; a registry's refusal is the registry's.
   */
  @Override
  public void pull(
      String image,
      dev.berth.runtime.RegistryAuth auth,
      Duration timeout,
      java.util.function.Consumer<dev.berth.runtime.PullProgress> progress) {
    throughBreaker(
        "pull",
        () -> {
          delegate.pull(image, auth, timeout, progress);
          return null;
        });
  }

  @Override
  public List<dev.berth.runtime.HostImage> listImages() {
    return guarded("list images", guards.callTimeout(), delegate::listImages);
  }

  @Override
  public void removeImage(String imageId) {
    guardedRun("remove image", guards.callTimeout(), () -> delegate.removeImage(imageId));
  }

  @Override
  public void start(String containerId) {
    guardedRun("start", guards.callTimeout(), () -> delegate.start(containerId));
  }

  @Override
  public void stop(String containerId, Duration grace) {
    guardedRun("stop", guards.callTimeout().plus(grace), () -> delegate.stop(containerId, grace));
  }

  @Override
  public void remove(String containerId) {
    guardedRun("remove", guards.callTimeout(), () -> delegate.remove(containerId));
  }

  @Override
  public Optional<ContainerObservation> inspect(String containerIdOrName) {
    return guarded("inspect", guards.callTimeout(), () -> delegate.inspect(containerIdOrName));
  }

  @Override
  public List<LogLine> logs(String containerId, Instant since, int maxLines) {
    return guarded("logs", guards.callTimeout(), () -> delegate.logs(containerId, since, maxLines));
  }

  @Override
  public Optional<dev.berth.runtime.ContainerUsage> usage(String containerId) {
    // Not through the bulkhead: the engine answers a stats call at its next collection tick, up to
    // a second later, and the sampler's own threads wait for it; in the bulkhead those waits would
    // hold the threads the reconciler's calls need. The runtime's response timeout bounds it.
    return throughBreaker("stats", () -> delegate.usage(containerId));
  }

  @Override
  public dev.berth.runtime.LogFollow followLogs(
      String containerId,
      Instant after,
      java.util.function.Consumer<LogLine> onLine,
      Runnable ended) {
    return guarded(
        "logs", guards.callTimeout(), () -> delegate.followLogs(containerId, after, onLine, ended));
  }

  @Override
  public ExecResult exec(
      String containerId, List<String> argv, Duration deadline, int maxOutputBytes) {
    return guarded(
        "exec",
        guards.callTimeout().plus(deadline),
        () -> delegate.exec(containerId, argv, deadline, maxOutputBytes));
  }

  @Override
  public ExecSession openExec(
      String containerId,
      List<String> argv,
      int rows,
      int columns,
      java.util.function.Consumer<byte[]> output,
      Runnable ended) {
    return guarded(
        "exec",
        guards.callTimeout(),
        () -> delegate.openExec(containerId, argv, rows, columns, output, ended));
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    guardedRun("create volume", guards.callTimeout(), () -> delegate.ensureVolume(name, labels));
  }

  @Override
  public List<dev.berth.runtime.ManagedVolume> listManagedVolumes(Map<String, String> labels) {
    return guarded("list volumes", guards.callTimeout(), () -> delegate.listManagedVolumes(labels));
  }

  @Override
  public void removeVolume(String name) {
    guardedRun("remove volume", guards.callTimeout(), () -> delegate.removeVolume(name));
  }

  @Override
  public void writeVolume(String name, Map<String, byte[]> files, String helperImage) {
    guardedRun(
        "write volume",
        guards.createTimeout(),
        () -> delegate.writeVolume(name, files, helperImage));
  }

  @Override
  public void ensureHostDirectoryVolume(
      String name, String hostDirectory, Map<String, String> labels) {
    guardedRun(
        "create volume",
        guards.callTimeout(),
        () -> delegate.ensureHostDirectoryVolume(name, hostDirectory, labels));
  }

  @Override
  public void copyIntoVolume(String name, java.nio.file.Path source, String helperImage) {
    // A whole checkout: the create timeout, as for pulls and other long uploads.
    guardedRun(
        "copy into volume",
        guards.createTimeout(),
        () -> delegate.copyIntoVolume(name, source, helperImage));
  }

  @Override
  public boolean volumeHasFile(String name, String file, String helperImage) {
    return guarded(
        "look into volume",
        guards.createTimeout(),
        () -> delegate.volumeHasFile(name, file, helperImage));
  }

  @Override
  public List<ManagedContainer> listManaged(Map<String, String> labels) {
    return guarded("list", guards.callTimeout(), () -> delegate.listManaged(labels));
  }

  @Override
  public void close() {
    try {
      bulkhead.close();
      if (delegate instanceof AutoCloseable connection) {
        connection.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the runtime of a host failed", e);
    }
  }

  /**
   * Not through the bulkhead, whose threads are for short calls: a window lasts as long as the
   * caller asks, and a host that stops answering ends it with a failure after the response timeout.
   */
  @Override
  public void followEvents(
      Map<String, String> labels,
      Instant since,
      Instant until,
      java.util.function.Consumer<dev.berth.runtime.ContainerEvent> onEvent) {
    delegate.followEvents(labels, since, until, onEvent);
  }
}
