package dev.berth.service.observability;

import dev.berth.billing.api.UsageQueries;
import dev.berth.billing.api.UsageQueries.SubscriptionTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each subscription's billing as counters: seconds billed, seconds lost to a platform fault (not
 * billed), and what the billed seconds cost in the billing currency. Read from PostgreSQL at each
 * {@link #refresh()} (one query over a row per subscription, kept by the ledger itself), so every
 * replica exports the same totals. They are what the meter has written: a running group's last
 * seconds appear at the meter's next tick ({@code berth.billing.meter-interval}).
 */
public final class BillingCounters {

  private static final Logger log = Logger.getLogger(BillingCounters.class.getName());

  private final UsageQueries ledger;
  private final MeterRegistry registry;
  private final Map<String, SubscriptionTotals> latest = new ConcurrentHashMap<>();

  public BillingCounters(UsageQueries ledger, MeterRegistry registry) {
    this.ledger = ledger;
    this.registry = registry;
  }

  /** Reads every subscription's totals once; a subscription seen for the first time gets series. */
  public void refresh() {
    for (SubscriptionTotals totals : ledger.totals()) {
      if (latest.put(totals.subscriptionId(), totals) == null) {
        register(totals);
      }
    }
  }

  private void register(SubscriptionTotals first) {
    String subscription = first.subscriptionId();
    counter(
        "berth.billing.billed",
        "seconds",
        "Seconds of groups' runs billed",
        subscription,
        t -> t.billedSeconds());
    counter(
        "berth.billing.unbilled",
        "seconds",
        "Seconds of groups' runs not billed because the platform was at fault",
        subscription,
        t -> t.unbilledSeconds());
    FunctionCounter.builder("berth.billing.cost", this, c -> c.value(subscription, t -> amount(t)))
        .description("What the billed seconds cost, exactly as the usage API rates them")
        .tags("subscription", subscription, "currency", first.cost().currency())
        .register(registry);
  }

  private static double amount(SubscriptionTotals totals) {
    return totals.cost().amount().doubleValue();
  }

  private void counter(
      String name,
      String unit,
      String description,
      String subscription,
      ToDoubleFunction<SubscriptionTotals> value) {
    FunctionCounter.builder(name, this, c -> c.value(subscription, value))
        .baseUnit(unit)
        .description(description)
        .tags("subscription", subscription)
        .register(registry);
  }

  private double value(String subscription, ToDoubleFunction<SubscriptionTotals> value) {
    return value.applyAsDouble(latest.get(subscription));
  }

  /** {@link #refresh()}, for a timer: a failure is logged and the next refresh tries again. */
  public void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // The database may be away for a while; the counters keep their last values until it is back.
      log.log(Level.FINE, "could not refresh the billing counters", e);
    }
  }
}
