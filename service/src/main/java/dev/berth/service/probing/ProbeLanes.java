package dev.berth.service.probing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane per host for its probes: a scheduler thread that looks for due checks every {@code
 * tick}, and a bounded pool of {@code workersPerHost} threads (with a queue of {@code queue}) that
 * runs them. A host's lane is made with its first probe and lives as long as Berth does.
 */
public class ProbeLanes implements AutoCloseable {

  private static final Logger log = Logger.getLogger(ProbeLanes.class.getName());

  private final Duration tick;
  private final int workersPerHost;
  private final int queue;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  private record Lane(
      ScheduledExecutorService scheduler,
      ThreadPoolExecutor workers,
      java.util.concurrent.atomic.AtomicBoolean ticking) {}

  public ProbeLanes(Duration tick, int workersPerHost, int queue) {
    this.tick = tick;
    this.workersPerHost = workersPerHost;
    this.queue = queue;
  }

  /** Makes the host's lane, which calls {@code tick} every tick, unless it has one. */
  protected void ensure(String hostId, Runnable onTick) {
    if (lanes.containsKey(hostId)) {
      return;
    }
    Lane lane =
        lanes.computeIfAbsent(
            hostId,
            h -> {
              ScheduledExecutorService scheduler =
                  Executors.newSingleThreadScheduledExecutor(named("berth-probe-" + h + "-tick"));
              ThreadPoolExecutor workers =
                  new ThreadPoolExecutor(
                      workersPerHost,
                      workersPerHost,
                      30,
                      TimeUnit.SECONDS,
                      new ArrayBlockingQueue<>(queue),
                      named("berth-probe-" + h),
                      new ThreadPoolExecutor.AbortPolicy());
              workers.allowCoreThreadTimeOut(true);
              return new Lane(scheduler, workers, new java.util.concurrent.atomic.AtomicBoolean());
            });
    // Ticking starts once the lane is in the map, where a tick finds its workers.
    if (lane.ticking().compareAndSet(false, true)) {
      lane.scheduler()
          .scheduleWithFixedDelay(
              () -> {
                try {
                  onTick.run();
                } catch (RuntimeException e) {
                  log.log(
                      Level.WARNING, "probing host " + hostId + " failed; next tick retries", e);
                }
              },
              0,
              tick.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** Where the host's checks run. */
  protected Executor workers(String hostId) {
    return lanes.get(hostId).workers();
  }

  @Override
  public void close() {
    lanes
        .values()
        .forEach(
            lane -> {
              lane.scheduler().shutdownNow();
              lane.workers().shutdownNow();
            });
    lanes.clear();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
