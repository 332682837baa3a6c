package dev.berth.service.web;

import dev.berth.api.server.AdminApi;
import dev.berth.api.server.model.ApiKey;
import dev.berth.api.server.model.ApiKeyListResult;
import dev.berth.api.server.model.ApiKeyRequest;
import dev.berth.api.server.model.IssuedApiKey;
import dev.berth.service.access.ApiKeys;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Key management; {@link ApiKeyFilter} admits only the admin key here. */
@RestController
public class AdminController implements AdminApi {

  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  private final ApiKeys keys;
  private final dev.berth.billing.rating.ChangingPrices prices;

  public AdminController(ApiKeys keys, dev.berth.billing.rating.ChangingPrices prices) {
    this.keys = keys;
    this.prices = prices;
  }

  @Override
  public ResponseEntity<dev.berth.api.server.model.PriceEntry> addPrice(
      dev.berth.api.server.model.PriceRequest request) {
    if (request == null) {
      throw new InvalidRequestException(
          new Violation("InvalidRequestContent", "A price is required.", "body"));
    }
    try {
      var added =
          prices.add(
              request.getCurrency(),
              request.getPerVcpuSecond(),
              request.getPerGbSecond(),
              request.getValidFrom() == null ? null : request.getValidFrom().toInstant());
      return ResponseEntity.status(HttpStatus.CREATED).body(BillingViews.price(added));
    } catch (dev.berth.billing.rating.PriceRejected rejected) {
      throw new InvalidRequestException(
          new Violation(rejected.code(), rejected.getMessage(), rejected.target()));
    }
  }

  @Override
  public ResponseEntity<IssuedApiKey> createApiKey(ApiKeyRequest request) {
    if (request == null
        || request.getSubscriptionId() == null
        || !SUBSCRIPTION.matcher(request.getSubscriptionId()).matches()) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidSubscriptionId",
              "subscriptionId is required: 1-64 letters, digits and '-'.",
              "subscriptionId"));
    }
    Integer limit = request.getRequestsPerSecond();
    if (limit != null && (limit < 1 || limit > 100_000)) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidRequestsPerSecond",
              "requestsPerSecond is a whole number from 1 to 100000.",
              "requestsPerSecond"));
    }
    ApiKeys.Issued issued =
        keys.issue(request.getSubscriptionId(), request.getDescription(), limit);
    var k = issued.key();
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new IssuedApiKey()
                .id(k.id())
                .subscriptionId(k.subscriptionId())
                .description(k.description())
                .createdAt(k.createdAt().atOffset(ZoneOffset.UTC))
                .requestsPerSecond(k.requestsPerSecond())
                .key(issued.secret()));
  }

  @Override
  public ResponseEntity<ApiKeyListResult> listApiKeys() {
    var result = new ApiKeyListResult();
    keys.list()
        .forEach(
            k ->
                result.addValueItem(
                    new ApiKey()
                        .id(k.id())
                        .subscriptionId(k.subscriptionId())
                        .description(k.description())
                        .createdAt(k.createdAt().atOffset(ZoneOffset.UTC))
                        .requestsPerSecond(k.requestsPerSecond())));
    return ResponseEntity.ok(result);
  }

  @Override
  public ResponseEntity<Void> revokeApiKey(String keyId) {
    keys.revoke(keyId);
    return ResponseEntity.noContent().build();
  }
}
