package dev.berth.service.host;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.reconciliation.HostRuntimes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The configured hosts, each with its guarded runtime. {@link #refresh()} asks every engine for its
 * capacity and records it (or records that it did not answer).
 */
public final class HostPool implements HostRuntimes, AutoCloseable {

  private static final Logger log = Logger.getLogger(HostPool.class.getName());

  private final Map<String, HostDefinition> definitions = new LinkedHashMap<>();
  private final Map<String, ContainerRuntime> runtimes = new LinkedHashMap<>();
  private final HostStore store;
  private final ExecutorService refresher =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "berth-host-refresh");
            t.setDaemon(true);
            return t;
          });

  public HostPool(HostStore store) {
    this.store = store;
  }

  public void add(HostDefinition definition, ContainerRuntime guardedRuntime) {
    definitions.put(definition.id(), definition);
    runtimes.put(definition.id(), guardedRuntime);
  }

  @Override
  public ContainerRuntime forHost(String hostId) {
    ContainerRuntime runtime = runtimes.get(hostId);
    if (runtime == null) {
      throw new RuntimeFailure(
          RuntimeFailure.Kind.HOST_UNREACHABLE, "host " + hostId + " is not configured");
    }
    return runtime;
  }

  /** The hosts that do not answer now. */
  public java.util.Set<String> silentHosts() {
    java.util.Set<String> silent = new java.util.HashSet<>();
    runtimes.forEach(
        (id, runtime) -> {
          if (runtime instanceof GuardedContainerRuntime guarded
              && guarded.answers().silentSince() != null) {
            silent.add(id);
          }
        });
    return silent;
  }

  /** Whether the host answers, when its runtime keeps track (every configured host's does). */
  public java.util.Optional<HostAnswers> answers(String hostId) {
    return runtimes.get(hostId) instanceof GuardedContainerRuntime guarded
        ? java.util.Optional.of(guarded.answers())
        : java.util.Optional.empty();
  }

  /**
   * Re-reads every host's capacity, all hosts at once, waiting at most {@code patience}: a host
   * that answers slowly is recorded when it answers (or when its call's deadline passes), without
   * holding up the others or the caller.
   */
  public void refresh(Duration patience) {
    CompletableFuture<?>[] refreshes =
        definitions.values().stream()
            .map(definition -> CompletableFuture.runAsync(() -> refresh(definition), refresher))
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(refreshes).get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      log.info("some hosts have not answered yet; they are recorded when they do");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warning("refreshing hosts failed: " + e.getCause());
    }
  }

  /** Runs {@code work} for each host, each on its own thread, so a slow host delays only itself. */
  public void forEachHost(java.util.function.BiConsumer<String, ContainerRuntime> work) {
    runtimes.forEach(
        (id, runtime) ->
            refresher.execute(
                () -> {
                  try {
                    work.accept(id, runtime);
                  } catch (RuntimeException e) {
                    log.warning("work on host " + id + " failed: " + e.getMessage());
                  }
                }));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    for (ContainerRuntime runtime : runtimes.values()) {
      if (runtime instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.warning("closing a host's runtime failed: " + e);
        }
      }
    }
  }

  private void refresh(HostDefinition definition) {
    try {
      HostDescription host = runtimes.get(definition.id()).describeHost();
      Resources allocatable =
          new Resources(
              (long) Math.floor(host.cpus() * 1000L * definition.cpuAllocatable()),
              (long)
                  Math.floor(
                      host.memoryBytes() / (1024.0 * 1024.0) * definition.memoryAllocatable()));
      store.registered(
          definition.id(),
          definition.endpoint(),
          allocatable,
          host.engineVersion(),
          definition.publishAddresses());
    } catch (RuntimeFailure e) {
      log.warning("host " + definition.id() + " did not answer: " + e.getMessage());
      store.unreachable(definition.id(), e.getMessage());
    }
  }
}
