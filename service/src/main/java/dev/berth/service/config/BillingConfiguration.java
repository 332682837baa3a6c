package dev.berth.service.config;

import dev.berth.billing.api.ReadingUsage;
import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.CheckingRuns;
import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.MeteringUsage;
import dev.berth.billing.persistence.JdbcInvoiceStore;
import dev.berth.billing.persistence.JdbcUsageLedger;
import dev.berth.billing.persistence.JdbcUsageQueries;
import dev.berth.billing.rating.Price;
import dev.berth.service.host.HostPool;
import dev.berth.service.metering.EngineRecordsOnHosts;
import dev.berth.service.metering.RunConfirmations;
import dev.berth.service.metering.RunMetering;
import dev.berth.service.metering.RunWitnessing;
import dev.berth.service.persistence.JdbcHostAnswerRecords;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Billing's wiring: the ledger, the meter and its loop, usage reads, invoices and run checks. */
@Configuration(proxyBeanMethods = false)
class BillingConfiguration {

  @Bean
  JdbcUsageLedger usageLedger(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    return new JdbcUsageLedger(jdbc, new TransactionTemplate(transactions));
  }

  @Bean
  JdbcUsageQueries usageQueries(
      JdbcTemplate jdbc, PlatformTransactionManager transactions, BerthProperties properties) {
    return new JdbcUsageQueries(
        jdbc, new TransactionTemplate(transactions), properties.billing().currency());
  }

  @Bean
  dev.berth.billing.rating.ChangingPrices changingPrices(JdbcUsageQueries prices, Clock clock) {
    return new dev.berth.billing.rating.ChangingPrices(prices, clock);
  }

  @Bean
  JdbcInvoiceStore invoiceStore(
      JdbcTemplate jdbc, PlatformTransactionManager transactions, BerthProperties properties) {
    return new JdbcInvoiceStore(
        jdbc, new TransactionTemplate(transactions), properties.billing().currency());
  }

  @Bean
  Meter meter(BerthProperties properties) {
    return new Meter(properties.billing().segmentBoundary());
  }

  @Bean
  RunConfirmations runConfirmations(JdbcUsageLedger ledger) {
    return new RunConfirmations(ledger);
  }

  @Bean
  RunMetering runMetering(
      JdbcUsageLedger ledger, RunConfirmations confirmations, BerthProperties properties) {
    return new RunMetering(ledger, confirmations, properties.billing().billImagePull());
  }

  @Bean
  RunWitnessing runWitnessing(JdbcTemplate jdbc) {
    return new RunWitnessing(new JdbcHostAnswerRecords(jdbc));
  }

  @Bean
  MeteringUsage meteringUsage(
      JdbcUsageLedger ledger, RunWitnessing witnesses, Meter meter, Clock clock) {
    return new MeteringUsage(ledger, witnesses, meter, clock, 1000);
  }

  /**
   * Refuses to start with a billing currency the price book has no price for now: usage in it could
   * not be rated, and the API would have nothing honest to show.
   */
  @Bean
  Object billingCurrencyIsPriced(
      JdbcUsageQueries queries, Clock clock, BerthProperties properties) {
    String currency = properties.billing().currency();
    boolean priced =
        queries.prices().stream()
            .anyMatch(p -> p.currency().equals(currency) && p.validAt(clock.instant()));
    if (!priced) {
      throw new IllegalStateException(
          "berth.billing.currency is "
              + currency
              + " but the price book has no "
              + currency
              + " price in force now. Use USD (ACI's list prices are built in), or insert a "
              + currency
              + " row into price_book first.");
    }
    return Boolean.TRUE;
  }

  @Bean
  ReadingUsage readingUsage(
      JdbcUsageQueries queries,
      RunWitnessing witnesses,
      Meter meter,
      Clock clock,
      BerthProperties properties) {
    return new ReadingUsage(queries, witnesses, meter, clock, properties.billing().currency());
  }

  @Bean
  Invoicing invoicing(
      JdbcInvoiceStore store,
      JdbcUsageQueries queries,
      ReadingUsage usage,
      Clock clock,
      BerthProperties properties) {
    return new Invoicing(
        store,
        () -> queries.prices().stream().collect(Collectors.toMap(Price::id, Function.identity())),
        clock,
        properties.billing().invoiceGrace(),
        properties.billing().currency(),
        usage::accruing);
  }

  @Bean
  CheckingRuns checkingRuns(JdbcUsageLedger ledger, HostPool hosts, Clock clock) {
    return new CheckingRuns(ledger, new EngineRecordsOnHosts(hosts), clock);
  }

  @Bean
  BillingWork billingWork(
      MeteringUsage metering,
      CheckingRuns checks,
      Invoicing invoicing,
      RunConfirmations confirmations,
      BerthProperties properties,
      LockProvider singletonJobLocks,
      Clock clock) {
    return new BillingWork(
        metering, checks, invoicing, confirmations, properties.billing(), singletonJobLocks, clock);
  }

  /** Runs whose billed seconds disagree with the engine's times; expected to stay zero. */
  @Bean
  Gauge billingMismatches(MeterRegistry registry, JdbcUsageLedger ledger) {
    return Gauge.builder(
            "berth.billing.reconciliation.mismatches", ledger, l -> l.mismatchCount(null))
        .description("finished runs whose billed seconds do not match the engine's times")
        .register(registry);
  }
}
