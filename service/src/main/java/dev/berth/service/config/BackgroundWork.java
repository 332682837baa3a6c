package dev.berth.service.config;

import dev.berth.service.host.HostPool;
import dev.berth.service.reconciliation.OrphanCollector;
import dev.berth.service.reconciliation.ReconcileLoop;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the background work once the application context is ready (and stops it first on
 * shutdown): registering the hosts' capacity, re-reading it periodically, and the reconcile loop.
 */
class BackgroundWork implements SmartLifecycle {

  private final HostPool hosts;
  private final ReconcileLoop loop;
  private final OrphanCollector orphans;
  private final Duration orphanSweepInterval;
  private ScheduledExecutorService refresher;
  private volatile boolean running;

  BackgroundWork(
      HostPool hosts, ReconcileLoop loop, OrphanCollector orphans, Duration orphanSweepInterval) {
    this.hosts = hosts;
    this.loop = loop;
    this.orphans = orphans;
    this.orphanSweepInterval = orphanSweepInterval;
  }

  @Override
  public void start() {
    // Start-up waits a little for the hosts, never for a host that does not answer.
    hosts.refresh(Duration.ofSeconds(5));
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "berth-host-refresh");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(
        () -> hosts.refresh(Duration.ofMinutes(5)), 30, 30, TimeUnit.SECONDS);
    refresher.scheduleWithFixedDelay(
        () -> hosts.forEachHost(orphans::collect),
        orphanSweepInterval.toMillis(),
        orphanSweepInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    loop.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (refresher != null) {
      refresher.shutdownNow();
    }
    loop.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
