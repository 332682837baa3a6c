package dev.berth.service.web;

import dev.berth.api.server.BillingApi;
import dev.berth.api.server.model.GroupUsage;
import dev.berth.api.server.model.Invoice;
import dev.berth.api.server.model.InvoiceListResult;
import dev.berth.api.server.model.PriceListResult;
import dev.berth.api.server.model.ReconciliationReport;
import dev.berth.api.server.model.Subscription;
import dev.berth.api.server.model.SubscriptionListResult;
import dev.berth.api.server.model.SubscriptionUsage;
import dev.berth.billing.api.Granularity;
import dev.berth.billing.api.ReadingUsage;
import dev.berth.billing.invoicing.Invoicing;
import dev.berth.billing.metering.RunChecks;
import dev.berth.service.access.Principal;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Usage, cost, invoices and run checks: the billing API, read by clients and the dashboard. */
@RestController
public class BillingController implements BillingApi {

  private final ReadingUsage usage;
  private final Invoicing invoicing;
  private final RunChecks checks;
  private final GroupAccess access;
  private final dev.berth.service.containergroup.ContainerGroupStore groups;
  private final Clock clock;

  public BillingController(
      ReadingUsage usage,
      Invoicing invoicing,
      RunChecks checks,
      dev.berth.service.containergroup.GroupValidator validator,
      dev.berth.service.containergroup.ContainerGroupStore groups,
      Clock clock) {
    this.groups = groups;
    this.usage = usage;
    this.invoicing = invoicing;
    this.checks = checks;
    this.access = new GroupAccess(validator);
    this.clock = clock;
  }

  @Override
  public ResponseEntity<GroupUsage> containerGroupUsage(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    ReadingUsage.GroupUsage found =
        usage.ofGroup(key.subscriptionId(), key.resourceGroup(), key.name());
    // A group that never ran still answers (no runs yet); one that never existed does not.
    if (found.runs().isEmpty() && groups.find(key).isEmpty()) {
      throw GroupAccess.groupNotFound(resourceGroupName, containerGroupName);
    }
    return ResponseEntity.ok(BillingViews.groupUsage(found));
  }

  @Override
  public ResponseEntity<SubscriptionListResult> subscriptionsList(String apiVersion) {
    ApiVersions.check(apiVersion);
    Principal caller = CallerContext.principal();
    List<String> ids = caller.isAdmin() ? usage.subscriptions() : List.of(caller.subscriptionId());
    return ResponseEntity.ok(
        new SubscriptionListResult()
            .value(
                ids.stream()
                    .map(id -> new Subscription().id("/subscriptions/" + id).subscriptionId(id))
                    .toList()));
  }

  @Override
  public ResponseEntity<SubscriptionUsage> subscriptionUsage(
      String subscriptionId,
      String apiVersion,
      OffsetDateTime from,
      OffsetDateTime to,
      String granularity) {
    return ResponseEntity.ok(
        BillingViews.subscriptionUsage(
            subscriptionId, read(subscriptionId, apiVersion, from, to, granularity)));
  }

  @Override
  public ResponseEntity<org.springframework.core.io.Resource> subscriptionUsageExport(
      String subscriptionId,
      String apiVersion,
      OffsetDateTime from,
      OffsetDateTime to,
      String granularity) {
    ReadingUsage.SubscriptionUsage found = read(subscriptionId, apiVersion, from, to, granularity);
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
        .header(
            "Content-Disposition",
            "attachment; filename=\"berth-usage-" + subscriptionId + ".csv\"")
        .body(
            new org.springframework.core.io.ByteArrayResource(
                BillingViews.csv(found).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Checks the call and reads the range: by default the current month (UTC). */
  private ReadingUsage.SubscriptionUsage read(
      String subscriptionId,
      String apiVersion,
      OffsetDateTime from,
      OffsetDateTime to,
      String granularity) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    Instant start =
        from != null ? from.toInstant() : dev.berth.billing.invoicing.Invoice.startOf(month);
    Instant end =
        to != null
            ? to.toInstant()
            : dev.berth.billing.invoicing.Invoice.startOf(month.plusMonths(1));
    if (!end.isAfter(start)) {
      throw new InvalidRequestException(
          new Violation("InvalidTimeRange", "'to' must be after 'from'.", "to"));
    }
    Granularity buckets = granularity(granularity);
    java.time.Duration longest =
        buckets == Granularity.HOURLY
            ? java.time.Duration.ofDays(31)
            : java.time.Duration.ofDays(366);
    if (java.time.Duration.between(start, end).compareTo(longest) > 0) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidTimeRange",
              "The range may span at most "
                  + longest.toDays()
                  + " days with granularity "
                  + (buckets == Granularity.HOURLY ? "Hourly" : "Daily")
                  + ".",
              "to"));
    }
    return usage.ofSubscription(subscriptionId, start, end, buckets);
  }

  private static Granularity granularity(String value) {
    if (value == null || value.equalsIgnoreCase("Daily")) {
      return Granularity.DAILY;
    }
    if (value.equalsIgnoreCase("Hourly")) {
      return Granularity.HOURLY;
    }
    throw new InvalidRequestException(
        new Violation(
            "InvalidGranularity",
            "granularity must be Hourly or Daily, not '" + value + "'.",
            "granularity"));
  }

  @Override
  public ResponseEntity<InvoiceListResult> invoicesList(String subscriptionId, String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    return ResponseEntity.ok(
        new InvoiceListResult()
            .value(
                invoicing.invoices(subscriptionId).stream().map(BillingViews::invoice).toList()));
  }

  @Override
  public ResponseEntity<Invoice> invoicesGet(
      String subscriptionId, String month, String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    YearMonth parsed;
    try {
      parsed = YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidMonth",
              "month must be yyyy-MM (for example 2026-11), not '" + month + "'.",
              "month"));
    }
    return ResponseEntity.ok(BillingViews.invoice(invoicing.invoice(subscriptionId, parsed)));
  }

  @Override
  public ResponseEntity<ReconciliationReport> billingReconciliation(
      String subscriptionId, String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    String sub = subscriptionId.toLowerCase(Locale.ROOT);
    return ResponseEntity.ok(
        new ReconciliationReport()
            .checkedRuns(checks.checkedCount(sub))
            .mismatches(checks.mismatchCount(sub))
            .value(checks.mismatches(sub, 100).stream().map(BillingViews::check).toList()));
  }

  @Override
  public ResponseEntity<PriceListResult> pricesList(String apiVersion) {
    ApiVersions.check(apiVersion);
    return ResponseEntity.ok(
        new PriceListResult()
            .value(usage.book().prices().stream().map(BillingViews::price).toList()));
  }
}
