package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.GroupChanged;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds group ids to the {@link Reconciler}: at once when the API changes a group, an event of its
 * host concerns it, or its host changes; when a timer it set falls due; and at each sweep the
 * groups {@link SweepingHosts} finds differing from their hosts (level-triggered, so whatever a
 * crash or a missed change left behind is repaired at the next sweep). A group queued twice is
 * reconciled once; a pass that fails is tried again a sweep interval later.
 */
public final class ReconcileLoop implements GroupChanged, AutoCloseable {

  private static final Logger log = Logger.getLogger(ReconcileLoop.class.getName());

  private final Reconciler reconciler;
  private final ContainerGroupStore store;
  private final Duration sweepInterval;
  private final Supplier<Collection<String>> ownedHosts;
  private final SweepingHosts sweeping;
  private final int workers;
  private volatile LoopTimer timer = LoopTimer.NONE;
  private final LinkedBlockingQueue<UUID> queue = new LinkedBlockingQueue<>();
  private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
  private ExecutorService pool;
  private ScheduledExecutorService sweeper;
  private volatile boolean running;

  /**
   * @param ownedHosts the hosts whose groups this replica reconciles
   */
  public ReconcileLoop(
      Reconciler reconciler,
      ContainerGroupStore store,
      SweepingHosts sweeping,
      Supplier<Collection<String>> ownedHosts,
      Duration sweepInterval,
      int workers) {
    this.reconciler = reconciler;
    this.sweeping = sweeping;
    this.ownedHosts = ownedHosts;
    this.store = store;
    this.sweepInterval = sweepInterval;
    this.workers = workers;
  }

  /** Reports passes and sweeps to {@code timer} from now on. */
  public void timeWith(LoopTimer timer) {
    this.timer = timer;
  }

  /** Groups waiting for a worker. */
  public int queueDepth() {
    return queue.size();
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    pool = Executors.newFixedThreadPool(workers, named("berth-reconcile"));
    for (int i = 0; i < workers; i++) {
      pool.execute(this::work);
    }
    sweeper = Executors.newSingleThreadScheduledExecutor(named("berth-sweep"));
    sweeper.scheduleWithFixedDelay(this::sweep, 0, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void groupChanged(UUID groupId) {
    if (queued.add(groupId)) {
      queue.add(groupId);
    }
  }

  /** Something about the host changed (its health, its owner): every group on it gets a pass. */
  public void hostChanged(String hostId) {
    try {
      store.idsOn(List.of(hostId), false).forEach(this::groupChanged);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "queueing the groups of host " + hostId + " failed", e);
    }
  }

  /** Looks at the group again at {@code at} (a restart falls due then), not a sweep later. */
  private void wakeAt(UUID id, java.time.Instant at) {
    long delay = Math.max(0, java.time.Duration.between(java.time.Instant.now(), at).toMillis());
    ScheduledExecutorService timer = sweeper;
    if (running && timer != null) {
      timer.schedule(() -> groupChanged(id), delay, TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    long started = System.nanoTime();
    boolean failed = false;
    try {
      sweeping.due(ownedHosts.get()).forEach(this::groupChanged);
    } catch (RuntimeException e) {
      failed = true;
      log.log(Level.WARNING, "sweep failed; the next one retries", e);
    } finally {
      timer.sweep(failed, System.nanoTime() - started);
    }
  }

  private void work() {
    while (running) {
      UUID id;
      try {
        id = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (id == null) {
        continue;
      }
      queued.remove(id);
      long started = System.nanoTime();
      boolean failed = false;
      try {
        Reconciler.Outcome outcome = reconciler.reconcile(id);
        if (outcome.wakeAt() != null) {
          wakeAt(id, outcome.wakeAt());
        }
      } catch (RuntimeException e) {
        failed = true;
        // Tried again later; a failing host is cut off by its circuit breaker meanwhile.
        log.log(Level.WARNING, "reconciling group " + id + " failed: " + e.getMessage());
        wakeAt(id, java.time.Instant.now().plus(sweepInterval));
      } finally {
        timer.pass(failed, System.nanoTime() - started);
      }
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    var counter = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
