package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The API's description served by the running Berth (openapi.yaml and Swagger UI over it, with no
 * key), and ARM's request ids on answers.
 */
class ApiDescriptionE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final BerthProcess berth = BerthProcess.get();

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(berth.baseUri() + path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSpecAndSwaggerUiAreServedWithoutAKeyAndTryItOutCallsThisBerth() throws Exception {
    HttpResponse<String> spec = get("/openapi.yaml");
    assertThat(spec.statusCode()).isEqualTo(200);
    assertThat(spec.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
    assertThat(spec.body())
        .startsWith("openapi: 3")
        .contains("  - url: " + berth.baseUri() + "\n")
        .doesNotContain("http://localhost:8080")
        .contains("containerGroups/{containerGroupName}:");

    HttpResponse<String> page = get("/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui-bundle.js");
    assertThat(get("/docs/docs.js").body()).contains("../openapi.yaml");
    HttpResponse<String> bundle = get("/webjars/swagger-ui/swagger-ui-bundle.js");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.body()).contains("SwaggerUIBundle");
  }

  @Test
  void answersCarryArmsRequestIds() throws Exception {
    String correlation = "e2e-" + java.util.UUID.randomUUID();
    HttpResponse<String> refused =
        get(
            "/subscriptions/no-such/resourceGroups/rg/providers/Microsoft.ContainerInstance/"
                + "containerGroups/missing?api-version=2023-05-01",
            "x-ms-correlation-request-id",
            correlation,
            "Authorization",
            "Bearer " + berth.adminKey());
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.headers().firstValue("x-ms-correlation-request-id")).hasValue(correlation);
    String requestId = refused.headers().firstValue("x-ms-request-id").orElseThrow();
    assertThat(requestId).matches("[0-9a-f-]{36}");

    // Without a key too: the ids are given before the key is checked.
    HttpResponse<String> noKey = get("/subscriptions");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(noKey.headers().firstValue("x-ms-request-id")).isPresent();
  }
}
