package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.WebhooksApi;
import dev.berth.sdk.model.WebhookDelivery;
import dev.berth.sdk.model.WebhookRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as a receiver sees them: every event of the subscription's stream, in order, signed with
 * the secret, still delivered when the receiver fails at first, and each attempt in the log.
 */
class WebhooksE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final BerthProcess berth = BerthProcess.get();
  private final WebhooksApi webhooks = new WebhooksApi(berth.adminClient());
  private final ContainerGroupsApi groups = new ContainerGroupsApi(berth.adminClient());

  /** One POST the receiver accepted. */
  record Received(String eventId, String signature, String body, Instant at) {}

  /** HMAC-SHA256 over {@code <t>.<body>}, as the README tells a receiver to check it. */
  static boolean verifies(String secret, String signature, String body) throws Exception {
    String t = null;
    String v1 = null;
    for (String part : signature.split(",")) {
      if (part.startsWith("t=")) {
        t = part.substring(2);
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    return expected.equals(v1)
        && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) <= 300;
  }

  /** The subscription's stream so far, oldest first. */
  private JsonNode streamed(String sub) throws Exception {
    return JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(SubscriptionEventsE2E.stream(berth, sub, ""))
                        .header("Authorization", "Bearer " + berth.adminKey())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .get("value");
  }

  @Test
  void aReceiverGetsEveryEventSignedInOrderEvenWhenItFailsAtFirst() throws Exception {
    List<Received> accepted = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          // The first two POSTs fail: the first event is retried, and the rest wait for it.
          int status = requests.incrementAndGet() <= 2 ? 500 : 204;
          if (status == 204) {
            accepted.add(
                new Received(
                    exchange.getRequestHeaders().getFirst("Berth-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Berth-Signature"),
                    body,
                    Instant.now()));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    String sub = Groups.unique("webhooks");
    try {
      var issued =
          webhooks.webhooksCreate(
              sub,
              API_VERSION,
              new WebhookRequest()
                  .url("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                  .description("the test's receiver"));
      assertThat(issued.getSecret()).startsWith("whsec_");
      // The secret is shown once: listing and reading the webhook never show it again.
      String listed =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              berth.baseUri()
                                  + "/subscriptions/"
                                  + sub
                                  + "/providers/Microsoft.ContainerInstance/webhooks?api-version="
                                  + API_VERSION))
                      .header("Authorization", "Bearer " + berth.adminKey())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(listed).contains(issued.getId()).doesNotContain(issued.getSecret());

      groups.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          "job",
          API_VERSION,
          Groups.group(
              "Never", Groups.container("main", 0.1, 0.0625, "sh", "-c", "echo hi; sleep 1")));
      // The group's end, state Succeeded (a Running change carries provisioningState Succeeded
      // too, so the receiver's bodies are not what to wait on), then every event of the stream
      // up to it delivered.
      await("the group's end in the subscription's stream")
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                for (JsonNode e : streamed(sub)) {
                  if (e.path("kind").asText().equals("StateChanged")
                      && e.path("state").asText().equals("Succeeded")) {
                    return true;
                  }
                }
                return false;
              });
      JsonNode stream = streamed(sub);
      await("every event of the stream to be delivered")
          .atMost(Duration.ofSeconds(120))
          .until(() -> accepted.size() >= stream.size());

      // Every event of the subscription's stream, in its order, each once (no replica died).
      List<String> ids = new ArrayList<>();
      stream.forEach(e -> ids.add(e.get("id").asText()));
      assertThat(accepted).extracting(Received::eventId).isEqualTo(ids);
      for (int i = 0; i < accepted.size(); i++) {
        Received r = accepted.get(i);
        assertThat(JSON.readTree(r.body())).isEqualTo(stream.get(i));
        assertThat(verifies(issued.getSecret(), r.signature(), r.body()))
            .as("the signature of %s", r.eventId())
            .isTrue();
        assertThat(verifies("whsec_not-the-secret", r.signature(), r.body())).isFalse();
      }

      // The log: the first event failed twice (500), then was delivered at the third attempt.
      List<WebhookDelivery> log =
          webhooks.webhooksDeliveries(sub, issued.getId(), API_VERSION).getValue();
      List<WebhookDelivery> first =
          new ArrayList<>(log.stream().filter(d -> d.getEventId().equals(ids.get(0))).toList());
      java.util.Collections.reverse(first); // the log is newest first
      assertThat(first).extracting(WebhookDelivery::getAttempt).containsExactly(1, 2, 3);
      assertThat(first).extracting(WebhookDelivery::getStatusCode).containsExactly(500, 500, 204);
      assertThat(first)
          .extracting(WebhookDelivery::getDelivered)
          .containsExactly(false, false, true);
      assertThat(first.get(0).getError()).contains("500");
      var now = webhooks.webhooksGet(sub, issued.getId(), API_VERSION);
      assertThat(now.getFailedAttempts()).isZero();
      assertThat(now.getDeliveredThrough()).isEqualTo(ids.get(ids.size() - 1));

      webhooks.webhooksDelete(sub, issued.getId(), API_VERSION);
      assertThatThrownBy(() -> webhooks.webhooksGet(sub, issued.getId(), API_VERSION))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    } finally {
      Groups.deleteQuietly(groups, sub, "rg", List.of("job"));
      receiver.stop(0);
    }
  }

  @Test
  void aUrlThatIsNotAnHttpUrlOrHoldsCredentialsIsRefusedNamingTheField() throws Exception {
    String sub = Groups.unique("webhooks-bad");
    for (String url : List.of("ftp://127.0.0.1/x", "not a url", "http://user:pw@127.0.0.1/x")) {
      assertThatThrownBy(
              () -> webhooks.webhooksCreate(sub, API_VERSION, new WebhookRequest().url(url)))
          .as(url)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody())
                    .contains("\"code\":\"InvalidWebhookUrl\"")
                    .contains("\"target\":\"url\"")
                    .doesNotContain("pw@");
              });
    }
    assertThat(webhooks.webhooksList(sub, API_VERSION).getValue()).isEmpty();
  }
}
