package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.AdminApi;
import dev.berth.sdk.model.ApiKeyRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-key rate limits on the running Berth: 429 with Retry-After and ARM's body past the limit. */
class RateLimitsE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BerthProcess berth = BerthProcess.get();
  private final AdminApi admin = new AdminApi(berth.adminClient());

  @Test
  void aKeyPastItsLimitIsThrottledAndMayCallAgainAfterRetryAfter() throws Exception {
    String sub = Groups.unique("limited");
    var key =
        admin.createApiKey(
            new ApiKeyRequest().subscriptionId(sub).description("slow").requestsPerSecond(2));
    assertThat(key.getRequestsPerSecond()).isEqualTo(2);
    assertThat(admin.listApiKeys().getValue())
        .anySatisfy(
            k -> {
              assertThat(k.getId()).isEqualTo(key.getId());
              assertThat(k.getRequestsPerSecond()).isEqualTo(2);
            });
    URI list =
        URI.create(
            berth.baseUri()
                + "/subscriptions/"
                + sub
                + "/providers/Microsoft.ContainerInstance/containerGroups?api-version="
                + API_VERSION);
    HttpRequest call =
        HttpRequest.newBuilder(list)
            .GET()
            .header("Authorization", "Bearer " + key.getKey())
            .build();

    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      answers.add(HTTP.send(call, HttpResponse.BodyHandlers.ofString()));
    }

    // Eight calls at once: at most two in any second pass (8 calls take well under 3 s here).
    List<HttpResponse<String>> throttled =
        answers.stream().filter(a -> a.statusCode() == 429).toList();
    assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(200, 429));
    assertThat(answers.stream().filter(a -> a.statusCode() == 200).count()).isBetween(1L, 6L);
    assertThat(throttled).isNotEmpty();
    HttpResponse<String> refused = throttled.get(0);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("TooManyRequests");
    assertThat(error.get("message").asText()).contains("retry after 1 s");

    await("the key to be admitted again")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> HTTP.send(call, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    // The admin key is not throttled by default.
    for (int i = 0; i < 20; i++) {
      admin.listApiKeys();
    }
  }

  @Test
  void aLimitOutsideItsRangeIsRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                admin.createApiKey(
                    new ApiKeyRequest()
                        .subscriptionId(Groups.unique("bad-limit"))
                        .requestsPerSecond(0)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody())
                  .contains("\"code\":\"InvalidRequestsPerSecond\"")
                  .contains("\"target\":\"requestsPerSecond\"");
            });
  }
}
