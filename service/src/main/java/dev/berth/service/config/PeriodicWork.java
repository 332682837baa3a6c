package dev.berth.service.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * One task run on its own daemon thread every {@code interval} (after {@code firstAfter}) while the
 * application runs. The task catches its own failures: one that throws is not run again.
 */
final class PeriodicWork implements SmartLifecycle {

  private final String thread;
  private final Duration firstAfter;
  private final Duration interval;
  private final Runnable task;
  private ScheduledExecutorService timer;

  PeriodicWork(String thread, Duration firstAfter, Duration interval, Runnable task) {
    this.thread = thread;
    this.firstAfter = firstAfter;
    this.interval = interval;
    this.task = task;
  }

  @Override
  public synchronized void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, thread);
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        task, firstAfter.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
