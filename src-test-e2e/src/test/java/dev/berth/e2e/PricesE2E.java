package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.AdminApi;
import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.model.ApiKeyRequest;
import dev.berth.sdk.model.PriceRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The price book through the SDK. Prices are added in EUR, not the billing currency (USD), so the
 * other tests' costs do not change if the suite runs across the new price's hour.
 */
class PricesE2E {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String errorCode(ApiException e) throws Exception {
    return JSON.readTree(e.getResponseBody()).get("error").get("code").asText();
  }

  @Test
  void theAdminAddsAFuturePriceAndBadOnesAreRefusedNamingTheField() throws Exception {
    BerthProcess berth = BerthProcess.get();
    var admin = new AdminApi(berth.adminClient());
    OffsetDateTime nextHour =
        Instant.now()
            .truncatedTo(ChronoUnit.HOURS)
            .plus(1, ChronoUnit.HOURS)
            .atOffset(ZoneOffset.UTC);

    var added =
        admin.addPrice(
            new PriceRequest()
                .currency("EUR")
                .perVcpuSecond("0.0000104")
                .perGbSecond("0.00000115")
                .validFrom(nextHour.plusDays(1)));
    assertThat(added.getCurrency()).isEqualTo("EUR");
    assertThat(added.getPerVcpuSecond()).isEqualTo("0.0000104");
    assertThat(added.getValidFrom()).isEqualTo(nextHour.plusDays(1));

    // Not before the newest price of the currency; not on a half hour; not in the past.
    assertThatThrownBy(
            () ->
                admin.addPrice(
                    new PriceRequest()
                        .currency("EUR")
                        .perVcpuSecond("1")
                        .perGbSecond("1")
                        .validFrom(nextHour)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("\"target\":\"validFrom\"");
            });
    assertThatThrownBy(
            () ->
                admin.addPrice(
                    new PriceRequest()
                        .currency("EUR")
                        .perVcpuSecond("1")
                        .perGbSecond("1")
                        .validFrom(nextHour.plusDays(2).plusMinutes(30))))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getResponseBody()).contains("whole hour"));
    assertThatThrownBy(
            () ->
                admin.addPrice(
                    new PriceRequest()
                        .currency("EURO")
                        .perVcpuSecond("1")
                        .perGbSecond("1")
                        .validFrom(nextHour.plusDays(3))))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getResponseBody()).contains("InvalidCurrency"));
    assertThatThrownBy(
            () ->
                admin.addPrice(
                    new PriceRequest()
                        .currency("EUR")
                        .perVcpuSecond("-1")
                        .perGbSecond("1")
                        .validFrom(nextHour.plusDays(3))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.getResponseBody()).contains("\"target\":\"perVcpuSecond\""));

    // A scoped key may not change prices; everyone may read the billing currency's book.
    String key =
        admin.createApiKey(new ApiKeyRequest().subscriptionId(Groups.unique("prices"))).getKey();
    assertThatThrownBy(
            () ->
                new AdminApi(berth.client(key))
                    .addPrice(
                        new PriceRequest()
                            .currency("EUR")
                            .perVcpuSecond("1")
                            .perGbSecond("1")
                            .validFrom(nextHour.plusDays(5))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              try {
                assertThat(errorCode(e)).isEqualTo("AuthorizationFailed");
              } catch (Exception parse) {
                throw new AssertionError(parse);
              }
            });
    assertThat(new BillingApi(berth.client(key)).pricesList(Groups.API_VERSION).getValue())
        .anySatisfy(
            p -> {
              assertThat(p.getCurrency()).isEqualTo("USD");
              assertThat(p.getPerVcpuSecond()).isEqualTo("0.00001125");
              assertThat(p.getPerGbSecond()).isEqualTo("0.00000124");
            });
  }
}
