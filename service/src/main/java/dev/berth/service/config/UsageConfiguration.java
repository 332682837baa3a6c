package dev.berth.service.config;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostPool;
import dev.berth.service.observability.MicrometerContainerUsage;
import dev.berth.service.persistence.JdbcUsageStore;
import dev.berth.service.reconciliation.ContainerNames;
import dev.berth.service.reconciliation.LaunchSpecs;
import dev.berth.service.usage.ReadingGroupUsage;
import dev.berth.service.usage.UsageSampler;
import dev.berth.service.usage.UsageStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Containers' usage: sampled on the hosts each replica owns, kept, read and exported. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageProperties.class)
class UsageConfiguration {

  private static final Logger log = Logger.getLogger(UsageConfiguration.class.getName());

  @Bean
  UsageStore usageStore(JdbcTemplate jdbc) {
    return new JdbcUsageStore(jdbc);
  }

  @Bean
  ReadingGroupUsage readingGroupUsage(
      ContainerGroupStore groups, UsageStore store, UsageProperties properties) {
    return new ReadingGroupUsage(groups, store, properties.retention());
  }

  @Bean
  UsageSampler usageSampler(
      UsageStore store,
      HostPool hosts,
      HostOwnership ownership,
      MeterRegistry registry,
      Clock clock,
      UsageProperties properties) {
    return new UsageSampler(
        store,
        hosts,
        ownership::owned,
        groupId -> ContainerNames.of(groupId, LaunchSpecs.SANDBOX),
        new MicrometerContainerUsage(registry),
        // Not a bean: an Executor bean would take the place of Spring's own task executor.
        Executors.newFixedThreadPool(
            Math.max(1, properties.concurrency()),
            r -> {
              Thread t = new Thread(r, "berth-usage-calls");
              t.setDaemon(true);
              return t;
            }),
        clock,
        properties.retention());
  }

  /** One round every berth.usage.interval; samples past the retention go once an hour. */
  @Bean
  PeriodicWork usageSampling(UsageSampler sampler, UsageProperties properties) {
    Duration every = properties.interval();
    boolean on = !every.isZero() && !every.isNegative();
    return new PeriodicWork(
        "berth-usage",
        on ? every : Duration.ofDays(365),
        on ? every : Duration.ofDays(365),
        () -> {
          if (!on) {
            return;
          }
          try {
            sampler.sampleOnce();
          } catch (RuntimeException e) {
            // The database may be away: this round is a gap, the next one goes on.
            log.log(Level.FINE, "usage round failed", e);
          }
        });
  }

  @Bean
  PeriodicWork usageRetention(UsageSampler sampler) {
    return new PeriodicWork(
        "berth-usage-retention",
        Duration.ofMinutes(2),
        Duration.ofHours(1),
        () -> {
          try {
            sampler.forget();
          } catch (RuntimeException e) {
            // The next hour tries again.
          }
        });
  }
}
