package dev.berth.service.config;

import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.CheckingRuns;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.service.metering.RunConfirmations;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.springframework.context.SmartLifecycle;

/**
 * Billing's background work. The meter, the run checks and closing months whose grace period is
 * over run on one thread so ticks never overlap, and each runs on one replica at a time: a tick
 * first takes the job's lock ({@link SingletonJobsConfiguration#singletonJobLocks}) and is skipped
 * when another replica holds it. Each tick is safe to cut short at any point.
 *
 * <p>The lock is for efficiency, not correctness: two replicas metering at once would still write
 * every segment once (the ledger moves a cursor only from where it found it, and an exclusion
 * constraint refuses a second billed twice); the lock keeps them from doing the same work and
 * losing compare-and-sets to each other.
 *
 * <p>Confirmations that runs still hold their resources are flushed on every replica (each flushes
 * what its own reconciler saw), on a thread of their own so a long tick does not hold them up.
 */
class BillingWork implements SmartLifecycle {

  private static final Logger log = Logger.getLogger(BillingWork.class.getName());

  /** How often this replica's gathered confirmations are written (one batch each time). */
  static final Duration CONFIRMATION_FLUSH = Duration.ofSeconds(1);

  /**
   * A singleton job: its lock's name and how long the lock is held.
   *
   * @param lockAtMostFor when the holder dies mid-run, the lock lapses after this long; a live
   *     holder extends it while the job runs (see SingletonJobsConfiguration), so a slow run is
   *     never joined by a second replica, and a replica killed mid-run delays the job (never loses
   *     anything) by at most this long
   * @param lockAtLeastFor held at least this long, so replicas whose schedules fire moments apart
   *     do not run the job twice in a row; short, so the job keeps its interval
   */
  record Job(String lockName, Duration lockAtMostFor, Duration lockAtLeastFor) {

    /** ShedLock's keep-alive needs at least 30 s; a live holder extends it every 15 s. */
    static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(30);

    static final Job METERING =
        new Job("berth-billing-metering", LOCK_AT_MOST_FOR, Duration.ofSeconds(1));
    static final Job RUN_CHECKS =
        new Job("berth-billing-run-checks", LOCK_AT_MOST_FOR, Duration.ofSeconds(1));
    static final Job CLOSING_MONTHS =
        new Job("berth-billing-closing-months", LOCK_AT_MOST_FOR, Duration.ofSeconds(1));
  }

  private final MeteringUsage metering;
  private final CheckingRuns checks;
  private final Invoicing invoicing;
  private final RunConfirmations confirmations;
  private final BerthProperties.Billing settings;
  private final LockProvider locks;
  private final Clock clock;
  private ScheduledExecutorService worker;
  private ScheduledExecutorService flusher;
  private volatile boolean running;

  BillingWork(
      MeteringUsage metering,
      CheckingRuns checks,
      Invoicing invoicing,
      RunConfirmations confirmations,
      BerthProperties.Billing settings,
      LockProvider locks,
      Clock clock) {
    this.metering = metering;
    this.checks = checks;
    this.invoicing = invoicing;
    this.confirmations = confirmations;
    this.settings = settings;
    this.locks = locks;
    this.clock = clock;
  }

  @Override
  public void start() {
    worker = Executors.newSingleThreadScheduledExecutor(named("berth-billing"));
    flusher = Executors.newSingleThreadScheduledExecutor(named("berth-confirmations"));
    schedule(worker, "metering", this::meter, settings.meterInterval());
    schedule(worker, "run checks", this::checkRuns, settings.checkInterval());
    schedule(worker, "closing months", this::closeMonths, Duration.ofMinutes(10));
    schedule(flusher, "confirming runs", confirmations::flush, CONFIRMATION_FLUSH);
    running = true;
  }

  /** One metering tick, unless another replica is running one; returns whether it ran. */
  boolean meter() {
    return underLock(Job.METERING, metering::tick);
  }

  boolean checkRuns() {
    return underLock(Job.RUN_CHECKS, checks::check);
  }

  boolean closeMonths() {
    return underLock(Job.CLOSING_MONTHS, invoicing::closeDueMonths);
  }

  private boolean underLock(Job job, Runnable work) {
    Optional<SimpleLock> lock =
        locks.lock(
            new LockConfiguration(
                clock.instant(), job.lockName(), job.lockAtMostFor(), job.lockAtLeastFor()));
    if (lock.isEmpty()) {
      return false;
    }
    try {
      work.run();
      return true;
    } finally {
      lock.get().unlock();
    }
  }

  private static void schedule(
      ScheduledExecutorService executor, String what, Runnable work, Duration every) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.log(Level.WARNING, what + " failed; the next tick retries", e);
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void stop() {
    running = false;
    if (worker != null) {
      worker.shutdownNow();
    }
    if (flusher != null) {
      flusher.shutdownNow();
      try {
        confirmations.flush(); // what this replica saw last, before it goes
      } catch (org.springframework.dao.DataAccessException e) {
        log.log(Level.INFO, "the last confirmations were not written; billing waits for them", e);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
