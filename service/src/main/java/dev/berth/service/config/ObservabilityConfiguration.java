package dev.berth.service.config;

import dev.berth.service.host.HostRegistry;
import dev.berth.service.observability.BillingCounters;
import dev.berth.service.observability.MicrometerLoop;
import dev.berth.service.observability.MicrometerTransitions;
import dev.berth.service.observability.PlatformGauges;
import dev.berth.service.probing.Prober;
import dev.berth.service.reconciliation.ReconcileLoop;
import dev.berth.service.reconciliation.Reconciler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Berth's own series for /actuator/prometheus (Micrometer), next to the JVM, HTTP and connection
 * pool series Spring Boot exports: the fleet's gauges, the reconcile loop's timings, launches and
 * restarts, and every engine call (wired in FleetConfiguration and ProbeConfiguration).
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

  /** Prometheus' default scrape interval: a scrape sees the fleet as of at most one refresh ago. */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(15);

  @Bean
  PeriodicWork platformGauges(
      JdbcTemplate jdbc,
      HostRegistry hosts,
      dev.berth.billing.persistence.JdbcUsageQueries ledger,
      MeterRegistry registry) {
    PlatformGauges gauges = new PlatformGauges(jdbc, hosts, registry);
    BillingCounters billing = new BillingCounters(ledger, registry);
    return new PeriodicWork(
        "berth-metrics",
        Duration.ZERO,
        GAUGE_REFRESH,
        () -> {
          gauges.refreshQuietly();
          billing.refreshQuietly();
        });
  }

  @Bean
  SmartInitializingSingleton reconcileMetrics(
      ReconcileLoop loop,
      Reconciler reconciler,
      Prober prober,
      MeterRegistry registry,
      Clock clock) {
    return () -> {
      MicrometerLoop.bind(loop, registry);
      reconciler.reportTo(new MicrometerTransitions(registry, clock));
      var failedChecks =
          Counter.builder("berth.probe.failures")
              .description("Failed liveness and readiness checks")
              .withRegistry(registry);
      failedChecks.withTags("probe", "liveness");
      failedChecks.withTags("probe", "readiness");
      prober.countFailedChecksWith(kind -> failedChecks.withTags("probe", kind).increment());
    };
  }
}
