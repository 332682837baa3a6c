package dev.berth.service.host;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches the hosts this replica owns: a cheap ping of each, each on its own thread and through the
 * host's own bulkhead, so a hung engine delays only itself. A host whose pings go unanswered is
 * Silent, and Lost once silent for {@code lostAfter}. A lost host that answers again takes no work
 * until every stale container on it (of a group that moved on, or is gone) was killed: there are
 * never two live copies of a group.
 */
public final class HostWatcher {

  private static final Logger log = Logger.getLogger(HostWatcher.class.getName());
  private static final Duration DESCRIBE_EVERY = Duration.ofMinutes(1);

  /** Kills what must not run on a host: containers of groups that moved on or are gone. */
  @FunctionalInterface
  public interface StaleSweep {
    /**
     * Returns normally only when nothing stale is left on the host.
     *
     * @throws RuntimeFailure when the host could not be listed or a removal failed
     */
    void sweep(String hostId, ContainerRuntime runtime);
  }

  private final HostRegistry registry;
  private final HostPool pool;
  private final HostOwnership ownership;
  private final Duration lostAfter;
  private final StaleSweep sweep;
  private final Consumer<String> hostChanged;
  private final Executor pingers;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> describedAt = new ConcurrentHashMap<>();

  /**
   * @param hostChanged told when a host's state changed in a way its groups must see (silent, lost,
   *     answering again)
   * @param pingers runs one ping per host at a time
   */
  public HostWatcher(
      HostRegistry registry,
      HostPool pool,
      HostOwnership ownership,
      Duration lostAfter,
      StaleSweep sweep,
      Consumer<String> hostChanged,
      Executor pingers) {
    this.registry = registry;
    this.pool = pool;
    this.ownership = ownership;
    this.lostAfter = lostAfter;
    this.sweep = sweep;
    this.hostChanged = hostChanged;
    this.pingers = pingers;
  }

  /**
   * Pings every owned host whose last ping has finished, and brings this replica's connections to
   * every host in line with the registry.
   */
  public void tick() {
    Set<String> owned = ownership.owned();
    List<RegisteredHost> hosts = registry.all();
    pool.refresh(hosts);
    for (RegisteredHost host : hosts) {
      if (owned.contains(host.id()) && inFlight.add(host.id())) {
        pingers.execute(
            () -> {
              try {
                check(host);
              } catch (RuntimeException e) {
                log.warning("watching host " + host.id() + " failed: " + e);
              } finally {
                inFlight.remove(host.id());
              }
            });
      }
    }
  }

  /** One ping of one host, and what follows from its answer or its silence. */
  void check(RegisteredHost host) {
    if (host.removing()) {
      List<String> left = registry.removeIfEmpty(host.id());
      if (left.isEmpty()) {
        pool.forget(host.id());
        describedAt.remove(host.id());
        log.info("host " + host.id() + " removed");
        return;
      }
    }
    GuardedContainerRuntime runtime = pool.connectionFor(host.definition());
    HostDescription answer = null;
    try {
      if (needsDescription(host)) {
        answer = runtime.describeHost();
        describedAt.put(host.id(), System.nanoTime());
      } else {
        runtime.ping();
      }
    } catch (RuntimeFailure silence) {
      registry.silent(host.id(), silence.getMessage(), runtime.breakerState().name());
      if (host.health().silentSince() == null) {
        log.warning("host " + host.id() + " did not answer: " + silence.getMessage());
        hostChanged.accept(host.id());
      }
      if (host.health().lostAt() == null && registry.declareLostIfSilentFor(host.id(), lostAfter)) {
        log.warning(
            "host "
                + host.id()
                + " has not answered for "
                + lostAfter.toSeconds()
                + " s: it is lost, its groups are placed again");
        hostChanged.accept(host.id());
      }
      return;
    }
    registry.answered(host.id(), answer, runtime.breakerState().name());
    if (host.health().lostAt() != null && !host.removing()) {
      recover(host, runtime);
    } else if (host.health().silentSince() != null) {
      log.info("host " + host.id() + " answers again");
      hostChanged.accept(host.id());
    }
  }

  /**
   * Whether this check asks the engine to describe itself (capacity, version) rather than only ping
   * it: Docker's {@code /info} gathers the engine's whole state (about 3 ms of its CPU with 30
   * containers, against 0.4 ms for {@code /_ping}), and what it says rarely changes. So it is asked
   * on the first check this replica makes, when the host was silent or lost, and once every {@link
   * #DESCRIBE_EVERY}.
   */
  private boolean needsDescription(RegisteredHost host) {
    Long last = describedAt.get(host.id());
    return last == null
        || host.health().silentSince() != null
        || host.health().lostAt() != null
        || System.nanoTime() - last > DESCRIBE_EVERY.toNanos();
  }

  /**
   * The lost host answers again. Its stale containers are killed, then it is marked recovered, then
   * swept once more: a group whose move committed between the first sweep and the recovery (its
   * move locks the host row and needs it lost) is caught by the second.
   */
  private void recover(RegisteredHost host, ContainerRuntime runtime) {
    try {
      sweep.sweep(host.id(), runtime);
      registry.recovered(host.id());
      sweep.sweep(host.id(), runtime);
      log.info("host " + host.id() + " answered again; its stale containers were killed");
      hostChanged.accept(host.id());
    } catch (RuntimeFailure notYet) {
      log.warning(
          "host " + host.id() + " answers but could not be swept yet: " + notYet.getMessage());
    }
  }
}
