package dev.berth.service.web;

import dev.berth.api.server.QuotasApi;
import dev.berth.api.server.model.QuotaOverrides;
import dev.berth.api.server.model.SubscriptionQuota;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.quota.ChangingQuotas;
import dev.berth.service.quota.QuotaLimits;
import dev.berth.service.quota.QuotaStore;
import dev.berth.service.quota.ReadingQuotaUse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Quota overrides per subscription; {@link ApiKeyFilter} admits only the admin key to /admin. */
@RestController
public class QuotasController implements QuotasApi {

  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  private static final int MAX_LIMIT = 1_000_000;

  private final ReadingQuotaUse reading;
  private final ChangingQuotas changing;

  public QuotasController(ReadingQuotaUse reading, ChangingQuotas changing) {
    this.reading = reading;
    this.changing = changing;
  }

  @Override
  public ResponseEntity<SubscriptionQuota> getSubscriptionQuota(String subscriptionId) {
    checkSubscription(subscriptionId, List.of());
    return ResponseEntity.ok(
        view(subscriptionId, reading.limits(subscriptionId), reading.overrides(subscriptionId)));
  }

  @Override
  public ResponseEntity<SubscriptionQuota> setSubscriptionQuota(
      String subscriptionId, QuotaOverrides body) {
    List<Violation> violations = new ArrayList<>();
    if (body == null) {
      violations.add(
          new Violation("InvalidRequestContent", "A body with the overrides is required.", "body"));
    } else {
      checkLimit(body.getContainerGroups(), "containerGroups", violations);
      checkLimit(body.getStandardCores(), "standardCores", violations);
    }
    checkSubscription(subscriptionId, violations);
    var overrides = new QuotaStore.Overrides(body.getContainerGroups(), body.getStandardCores());
    return ResponseEntity.ok(
        view(subscriptionId, changing.set(subscriptionId, overrides), overrides));
  }

  private static void checkSubscription(String subscriptionId, List<Violation> violations) {
    List<Violation> all = new ArrayList<>(violations);
    if (!SUBSCRIPTION.matcher(subscriptionId).matches()) {
      all.add(
          0,
          new Violation(
              "InvalidSubscriptionId",
              "subscriptionId must be 1-64 letters, digits and '-', starting with a letter or digit.",
              "subscriptionId"));
    }
    if (!all.isEmpty()) {
      throw new InvalidRequestException(all);
    }
  }

  private static void checkLimit(Integer value, String field, List<Violation> violations) {
    if (value != null && (value < 0 || value > MAX_LIMIT)) {
      violations.add(
          new Violation(
              "InvalidQuotaLimit",
              field
                  + " must be a whole number from 0 to "
                  + MAX_LIMIT
                  + ", or absent for the default.",
              field));
    }
  }

  private static SubscriptionQuota view(
      String subscriptionId, QuotaLimits limits, QuotaStore.Overrides overrides) {
    return new SubscriptionQuota()
        .subscriptionId(subscriptionId)
        .containerGroups(limits.containerGroups())
        .standardCores(limits.standardCores())
        .overrides(
            new QuotaOverrides()
                .containerGroups(overrides.containerGroups())
                .standardCores(overrides.standardCores()));
  }
}
