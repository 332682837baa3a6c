package dev.berth.service.web;

import dev.berth.api.server.model.Charge;
import dev.berth.api.server.model.GroupCost;
import dev.berth.api.server.model.GroupUsage;
import dev.berth.api.server.model.Invoice;
import dev.berth.api.server.model.InvoiceLine;
import dev.berth.api.server.model.PriceEntry;
import dev.berth.api.server.model.ResourceGroupCost;
import dev.berth.api.server.model.RunCheck;
import dev.berth.api.server.model.RunUsage;
import dev.berth.api.server.model.SubscriptionUsage;
import dev.berth.api.server.model.TimeBucket;
import dev.berth.billing.api.Granularity;
import dev.berth.billing.api.ReadingUsage;
import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.rating.Money;
import dev.berth.billing.rating.Price;
import dev.berth.billing.rating.PriceBook;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Billing's domain records as API bodies (and CSV). */
final class BillingViews {

  static final String ROUNDING_RULE =
      "Each line's exact amount is rounded once to the currency's minor unit (USD: 2 decimals),"
          + " half to even; the total is the sum of the rounded lines.";

  private BillingViews() {}

  static String decimal(BigDecimal value) {
    return Money.plain(value);
  }

  /** Milli-vCPU(-seconds) as vCPU(-seconds): the same division for a size and a quantity. */
  static String vcpuSeconds(long milliCpuSeconds) {
    return decimal(PriceBook.vcpu(milliCpuSeconds));
  }

  /** MiB(-seconds) as GB(-seconds). */
  static String gbSeconds(long mibSeconds) {
    return decimal(PriceBook.gb(mibSeconds));
  }

  private static OffsetDateTime time(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static GroupUsage groupUsage(ReadingUsage.GroupUsage usage) {
    return new GroupUsage()
        .currency(usage.currency())
        .totalCost(usage.totalCost().plain())
        .runs(usage.runs().stream().map(BillingViews::run).toList());
  }

  private static RunUsage run(ReadingUsage.RunUsage u) {
    UsageRun r = u.run();
    return new RunUsage()
        .runId(r.runId().toString())
        .generation(r.generation())
        .startTime(time(r.startedAt()))
        .endTime(time(r.endedAt()))
        .endReason(r.endReason() == null ? null : endReason(r.endReason()))
        .running(u.running())
        .billedSeconds(u.billedSeconds())
        .unbilledSeconds(u.unbilledSeconds())
        .accruedThrough(time(u.accruedThrough()))
        .cpu(vcpuSeconds(r.milliCpu()))
        .memoryInGB(gbSeconds(r.memoryMiB()))
        .cost(u.cost().plain())
        .costPerSecond(u.costPerSecond().plain())
        .charges(u.charges().stream().map(BillingViews::charge).toList());
  }

  private static RunUsage.EndReasonEnum endReason(EndReason reason) {
    String name = reason.name();
    return RunUsage.EndReasonEnum.fromValue(
        name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT));
  }

  private static Charge charge(ReadingUsage.Charge c) {
    Price p = c.price();
    String cpu = vcpuSeconds(c.milliCpuSeconds());
    String gb = gbSeconds(c.mibSeconds());
    return new Charge()
        .priceValidFrom(time(p.validFrom()))
        .perVcpuSecond(decimal(p.perVcpuSecond()))
        .perGbSecond(decimal(p.perGbSecond()))
        .seconds(c.seconds())
        .vcpuSeconds(cpu)
        .gbSeconds(gb)
        .cost(c.cost().plain())
        .formula(
            cpu
                + " vCPU-s x "
                + decimal(p.perVcpuSecond())
                + " + "
                + gb
                + " GB-s x "
                + decimal(p.perGbSecond())
                + " = "
                + c.cost().plain()
                + " "
                + p.currency()
                + " ("
                + c.seconds()
                + " s)");
  }

  static SubscriptionUsage subscriptionUsage(
      String subscriptionId, ReadingUsage.SubscriptionUsage u) {
    return new SubscriptionUsage()
        .subscriptionId(subscriptionId)
        .currency(u.currency())
        .from(time(u.from()))
        .to(time(u.to()))
        .granularity(
            u.granularity() == Granularity.HOURLY
                ? SubscriptionUsage.GranularityEnum.HOURLY
                : SubscriptionUsage.GranularityEnum.DAILY)
        .totalCost(u.totalCost().plain())
        .byGroup(
            u.byGroup().stream()
                .map(
                    g ->
                        new GroupCost()
                            .resourceGroup(g.resourceGroup())
                            .containerGroup(g.groupName())
                            .billedSeconds(g.totals().seconds())
                            .vcpuSeconds(vcpuSeconds(g.totals().milliCpuSeconds()))
                            .gbSeconds(gbSeconds(g.totals().mibSeconds()))
                            .cost(g.totals().cost().plain())
                            .running(g.running())
                            .costPerSecond(g.costPerSecond().plain()))
                .toList())
        .byResourceGroup(
            u.byResourceGroup().entrySet().stream()
                .map(
                    e ->
                        new ResourceGroupCost()
                            .resourceGroup(e.getKey())
                            .billedSeconds(e.getValue().seconds())
                            .vcpuSeconds(vcpuSeconds(e.getValue().milliCpuSeconds()))
                            .gbSeconds(gbSeconds(e.getValue().mibSeconds()))
                            .cost(e.getValue().cost().plain()))
                .toList())
        .timeSeries(
            u.timeSeries().entrySet().stream()
                .map(
                    e ->
                        new TimeBucket()
                            .start(time(e.getKey()))
                            .billedSeconds(e.getValue().seconds())
                            .vcpuSeconds(vcpuSeconds(e.getValue().milliCpuSeconds()))
                            .gbSeconds(gbSeconds(e.getValue().mibSeconds()))
                            .cost(e.getValue().cost().plain()))
                .toList());
  }

  /** One row per period, resource group and group; the same numbers as the JSON. */
  static String csv(ReadingUsage.SubscriptionUsage u) {
    StringBuilder out =
        new StringBuilder(
            "periodStart,resourceGroup,containerGroup,billedSeconds,vcpuSeconds,gbSeconds,cost,currency\n");
    for (ReadingUsage.Row r : u.rows()) {
      out.append(r.bucket())
          .append(',')
          .append(csvField(r.resourceGroup()))
          .append(',')
          .append(csvField(r.groupName()))
          .append(',')
          .append(r.totals().seconds())
          .append(',')
          .append(vcpuSeconds(r.totals().milliCpuSeconds()))
          .append(',')
          .append(gbSeconds(r.totals().mibSeconds()))
          .append(',')
          .append(r.totals().cost().plain())
          .append(',')
          .append(u.currency())
          .append('\n');
    }
    return out.toString();
  }

  /** Names are letters, digits, '-', '_', '.' and parentheses; quoted anyway if that changes. */
  private static String csvField(String value) {
    return value.matches("[A-Za-z0-9._()-]*") ? value : '"' + value.replace("\"", "\"\"") + '"';
  }

  static Invoice invoice(dev.berth.billing.invoicing.Invoice i) {
    return new Invoice()
        .id(i.id().toString())
        .subscriptionId(i.subscriptionId())
        .month(i.month().toString())
        .status(
            i.status() == dev.berth.billing.invoicing.Invoice.Status.FINAL
                ? Invoice.StatusEnum.FINAL
                : Invoice.StatusEnum.DRAFT)
        .currency(i.currency())
        .total(money(i.total()))
        .finalizedAt(time(i.finalizedAt()))
        .roundingRule(ROUNDING_RULE)
        .lines(i.lines().stream().map(BillingViews::line).toList());
  }

  private static InvoiceLine line(dev.berth.billing.invoicing.InvoiceLine l) {
    return new InvoiceLine()
        .lineNo(l.lineNo())
        .kind(
            l.kind() == dev.berth.billing.invoicing.InvoiceLine.Kind.USAGE
                ? InvoiceLine.KindEnum.USAGE
                : InvoiceLine.KindEnum.CORRECTION)
        .resourceGroup(l.resourceGroup())
        .containerGroup(l.groupName())
        .usageMonth(l.usageMonth().toString())
        .correctsInvoice(l.correctsInvoice() == null ? null : l.correctsInvoice().toString())
        .billedSeconds(l.billedSeconds())
        .vcpuSeconds(vcpuSeconds(l.milliCpuSeconds()))
        .gbSeconds(gbSeconds(l.mibSeconds()))
        .exactAmount(l.exactAmount().plain())
        .amount(money(l.amount()));
  }

  /** A rounded amount keeps its scale: "0.00", "1.50". */
  private static String money(Money m) {
    return m.amount().toPlainString();
  }

  static RunCheck check(dev.berth.billing.metering.RunCheck c) {
    return new RunCheck()
        .runId(c.runId().toString())
        .meteredSeconds(c.meteredSeconds())
        .billedSeconds(c.billedSeconds())
        .engineMillis(c.engineMillis())
        .matches(c.matches())
        .detail(c.detail())
        .checkedAt(time(c.checkedAt()));
  }

  static PriceEntry price(Price p) {
    return new PriceEntry()
        .currency(p.currency())
        .perVcpuSecond(decimal(p.perVcpuSecond()))
        .perGbSecond(decimal(p.perGbSecond()))
        .validFrom(time(p.validFrom()))
        .validTo(time(p.validTo()));
  }
}
