package dev.berth.service.config;

import dev.berth.service.host.HostDefinition;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostPool;
import dev.berth.service.host.HostRegistry;
import dev.berth.service.host.HostState;
import dev.berth.service.host.HostWatcher;
import dev.berth.service.host.RegisteredHost;
import dev.berth.service.host.RegisteringHost;
import dev.berth.service.persistence.PostgresGroupWakeups;
import dev.berth.service.reconciliation.DrainingHosts;
import dev.berth.service.reconciliation.OrphanCollector;
import dev.berth.service.reconciliation.ReconcileLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the background work once the application context is ready (and stops it first on
 * shutdown): registering the configured hosts, renewing this replica's leases, watching the hosts
 * it owns, collecting orphans there, listening for wake-ups, and the reconcile loop.
 */
class BackgroundWork implements SmartLifecycle {

  private static final Logger log = Logger.getLogger(BackgroundWork.class.getName());

  private final List<HostDefinition> configured;
  private final RegisteringHost registering;
  private final HostRegistry registry;
  private final HostOwnership ownership;
  private final HostWatcher watcher;
  private final HostPool pool;
  private final PostgresGroupWakeups wakeups;
  private final ReconcileLoop loop;
  private final OrphanCollector orphans;
  private final DrainingHosts draining;
  private final dev.berth.service.reconciliation.FollowingHosts following;
  private final BerthProperties properties;
  private final List<HostDefinition> unregistered = new ArrayList<>();
  private ScheduledExecutorService timers;
  private volatile boolean running;

  BackgroundWork(
      List<HostDefinition> configured,
      RegisteringHost registering,
      HostRegistry registry,
      HostOwnership ownership,
      HostWatcher watcher,
      HostPool pool,
      PostgresGroupWakeups wakeups,
      ReconcileLoop loop,
      OrphanCollector orphans,
      DrainingHosts draining,
      dev.berth.service.reconciliation.FollowingHosts following,
      BerthProperties properties) {
    this.configured = configured;
    this.registering = registering;
    this.registry = registry;
    this.ownership = ownership;
    this.watcher = watcher;
    this.pool = pool;
    this.wakeups = wakeups;
    this.loop = loop;
    this.orphans = orphans;
    this.draining = draining;
    this.following = following;
    this.properties = properties;
  }

  @Override
  public void start() {
    unregistered.addAll(configured);
    registerConfigured();
    timers =
        Executors.newScheduledThreadPool(
            3,
            r -> {
              Thread t = new Thread(r, "berth-fleet");
              t.setDaemon(true);
              return t;
            });
    long renew = properties.hosts().leaseRenewInterval().toMillis();
    long ping = properties.hosts().pingInterval().toMillis();
    long orphanSweep = properties.reconcile().orphanSweepInterval().toMillis();
    every("renewing leases", 0, renew, ownership::renew);
    every("following host events", 0, renew, () -> following.follow(ownership.owned()));
    every("watching hosts", 0, ping, watcher::tick);
    every("registering configured hosts", 30_000, 30_000, this::registerConfigured);
    every("collecting orphans", orphanSweep, orphanSweep, this::collectOrphans);
    every("draining hosts", ping, ping, this::drain);
    wakeups.listen(
        (host, group) -> {
          if (ownership.owns(host)) {
            loop.groupChanged(group);
          }
        });
    loop.start();
    running = true;
  }

  private void every(String what, long initialMillis, long everyMillis, Runnable work) {
    timers.scheduleWithFixedDelay(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.log(Level.WARNING, what + " failed; trying again", e);
          }
        },
        initialMillis,
        everyMillis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Registers each configured host that is not registered yet, as PUT /admin/hosts does; one that
   * does not answer is tried again later. Hosts registered through the API are left as they are.
   */
  private synchronized void registerConfigured() {
    var iterator = unregistered.iterator();
    while (iterator.hasNext()) {
      HostDefinition host = iterator.next();
      try {
        registering.register(host);
        iterator.remove();
      } catch (RuntimeException e) {
        log.warning("host " + host.id() + " did not answer: " + e.getMessage());
      }
    }
  }

  /** Orphans of the hosts this replica owns that answer (a lost host is swept when it returns). */
  private void collectOrphans() {
    onReachableOwnedHosts(ownership, registry, pool, "collecting orphans", orphans::collect);
  }

  /**
   * Runs {@code work} for each host this replica owns that answers (not Silent, not Lost), each on
   * its own: a host that fails is logged and the others go on.
   */
  static void onReachableOwnedHosts(
      HostOwnership ownership,
      HostRegistry registry,
      HostPool pool,
      String what,
      java.util.function.BiConsumer<String, dev.berth.runtime.ContainerRuntime> work) {
    Set<String> owned = ownership.owned();
    for (RegisteredHost host : registry.all()) {
      if (owned.contains(host.id())
          && host.state() != HostState.SILENT
          && host.state() != HostState.LOST) {
        try {
          work.accept(host.id(), pool.forHost(host.id()));
        } catch (RuntimeException e) {
          log.warning(what + " on host " + host.id() + " failed: " + e.getMessage());
        }
      }
    }
  }

  /** A step of each drain of a host this replica owns and can reach. */
  private void drain() {
    Set<String> owned = ownership.owned();
    for (RegisteredHost host : registry.all()) {
      if (owned.contains(host.id()) && host.state() == HostState.DRAINING) {
        draining.step(host);
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    loop.close();
    if (timers != null) {
      timers.shutdownNow();
      try {
        timers.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    wakeups.close();
    following.close();
    try {
      // Nothing of this replica runs on its hosts any more: others may take them at once.
      ownership.releaseAll();
    } catch (RuntimeException e) {
      log.warning("giving up leases failed; they lapse by themselves: " + e.getMessage());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
