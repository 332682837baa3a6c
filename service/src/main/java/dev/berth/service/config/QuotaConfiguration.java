package dev.berth.service.config;

import dev.berth.service.containergroup.QuotaGate;
import dev.berth.service.persistence.JdbcQuotaStore;
import dev.berth.service.quota.AdmittingToQuota;
import dev.berth.service.quota.ChangingQuotas;
import dev.berth.service.quota.QuotaLimits;
import dev.berth.service.quota.ReadingQuotaUse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Quotas per subscription: the defaults from configuration, overrides in PostgreSQL. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QuotaProperties.class)
class QuotaConfiguration {

  @Bean
  JdbcQuotaStore quotaStore(JdbcTemplate jdbc) {
    return new JdbcQuotaStore(jdbc);
  }

  @Bean
  QuotaLimits defaultQuotaLimits(QuotaProperties properties) {
    return new QuotaLimits(properties.containerGroups(), properties.cores());
  }

  @Bean
  QuotaGate quotaGate(JdbcQuotaStore store, QuotaLimits defaults) {
    return new AdmittingToQuota(store, defaults);
  }

  @Bean
  ReadingQuotaUse readingQuotaUse(JdbcQuotaStore store, QuotaLimits defaults) {
    return new ReadingQuotaUse(store, defaults);
  }

  @Bean
  ChangingQuotas changingQuotas(JdbcQuotaStore store, ReadingQuotaUse reading) {
    return new ChangingQuotas(store, reading);
  }
}
