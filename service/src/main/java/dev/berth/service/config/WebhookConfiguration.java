package dev.berth.service.config;

import dev.berth.service.containergroup.SubscriptionEventStream;
import dev.berth.service.persistence.JdbcWebhookStore;
import dev.berth.service.persistence.SecretCipher;
import dev.berth.service.web.SubscriptionEventBodies;
import dev.berth.service.webhooks.DeliveringWebhooks;
import dev.berth.service.webhooks.RegisteringWebhooks;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks: the store, registration, and delivery, which runs every second on every replica (a
 * webhook is claimed by one at a time) and keeps its log berth.event-retention.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  @Bean
  JdbcWebhookStore webhookStore(
      JdbcTemplate jdbc, PlatformTransactionManager transactions, SecretCipher cipher) {
    return new JdbcWebhookStore(jdbc, new TransactionTemplate(transactions), cipher);
  }

  /** Whether tenants' webhooks may reach loopback, link-local and private addresses. */
  static final String ALLOW_PRIVATE = "${berth.webhooks.allow-private-addresses:false}";

  @Bean
  RegisteringWebhooks registeringWebhooks(
      JdbcWebhookStore store,
      SubscriptionEventStream stream,
      Clock clock,
      @Value(ALLOW_PRIVATE) boolean allowPrivate) {
    return new RegisteringWebhooks(store, stream, clock, allowPrivate);
  }

  @Bean
  DeliveringWebhooks deliveringWebhooks(
      JdbcWebhookStore store,
      SubscriptionEventStream stream,
      JsonMapper json,
      Clock clock,
      @Value(ALLOW_PRIVATE) boolean allowPrivate) {
    return new DeliveringWebhooks(
        store,
        stream,
        placed -> json.writeValueAsString(SubscriptionEventBodies.body(placed, json)),
        clock,
        allowPrivate);
  }

  @Bean
  PeriodicWork webhookDelivery(DeliveringWebhooks delivering) {
    return new PeriodicWork(
        "berth-webhook-rounds",
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        delivering::roundQuietly);
  }

  @Bean
  PeriodicWork webhookLogRetention(
      JdbcWebhookStore store, BerthProperties properties, Clock clock) {
    return new PeriodicWork(
        "berth-webhook-log-retention",
        Duration.ofMinutes(1),
        Duration.ofHours(1),
        () -> {
          try {
            store.forgetDeliveriesBefore(clock.instant().minus(properties.eventRetention()));
          } catch (RuntimeException e) {
            // The database may be away; the next hour tries again.
          }
        });
  }
}
