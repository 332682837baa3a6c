package dev.berth.service.config;

import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.CheckingRuns;
import dev.berth.billing.metering.MeteringUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.context.SmartLifecycle;

/**
 * Billing's background work, on one thread so ticks never overlap: the meter, the run checks, and
 * closing months whose grace period is over. Each tick is safe to cut short at any point.
 */
class BillingWork implements SmartLifecycle {

  private static final Logger log = Logger.getLogger(BillingWork.class.getName());

  private final MeteringUsage metering;
  private final CheckingRuns checks;
  private final Invoicing invoicing;
  private final BerthProperties.Billing settings;
  private ScheduledExecutorService worker;
  private volatile boolean running;

  BillingWork(
      MeteringUsage metering,
      CheckingRuns checks,
      Invoicing invoicing,
      BerthProperties.Billing settings) {
    this.metering = metering;
    this.checks = checks;
    this.invoicing = invoicing;
    this.settings = settings;
  }

  @Override
  public void start() {
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "berth-billing");
              t.setDaemon(true);
              return t;
            });
    schedule("metering", metering::tick, settings.meterInterval().toMillis());
    schedule("run checks", checks::check, settings.checkInterval().toMillis());
    schedule("closing months", invoicing::closeDueMonths, TimeUnit.MINUTES.toMillis(10));
    running = true;
  }

  private void schedule(String what, Runnable work, long everyMillis) {
    worker.scheduleWithFixedDelay(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.log(Level.WARNING, what + " failed; the next tick retries", e);
          }
        },
        0,
        everyMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
