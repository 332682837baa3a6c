package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.ApiClient;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.DockerClientFactory;

/**
 * Bad requests get a 4xx with ARM's error body naming the rule and the field, and nothing is
 * created. Bodies the SDK could not even express (malformed JSON, wrong types) go through the SDK's
 * own HTTP client as raw text.
 */
class BadInputE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD_CONTAINER =
      "{\"name\":\"main\",\"properties\":{\"image\":\"berth/busybox:1\",\"command\":[\"sleep\",\"60\"],"
          + "\"resources\":{\"requests\":{\"cpu\":0.25,\"memoryInGB\":0.25}}}}";

  private final BerthProcess berth = BerthProcess.get();
  private final ApiClient client = berth.adminClient();

  private static String groupWith(String container) {
    return "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
        + container
        + "]}}";
  }

  private static String container(String properties) {
    return "{\"name\":\"main\",\"properties\":" + properties + "}";
  }

  private HttpResponse<String> put(
      String sub, String name, String apiVersion, String body, String key) throws Exception {
    String query = apiVersion == null ? "" : "?api-version=" + apiVersion;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    berth.baseUri()
                        + "/subscriptions/"
                        + sub
                        + "/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups/"
                        + name
                        + query))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return client.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} {2} at {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      bad group name            | 400 | InvalidContainerGroupName        | containerGroupName                                           | Bad_Name
      cpu over the group max    | 400 | ResourceRequestsExceedMaximum    | properties.containers[0].properties.resources.requests.cpu   | ok
      negative cpu              | 400 | InvalidResourceRequests          | properties.containers[0].properties.resources.requests.cpu   | ok
      memory missing            | 400 | InvalidResourceRequests          | properties.containers[0].properties.resources.requests.memoryInGB | ok
      bad image                 | 400 | InvalidImageName                 | properties.containers[0].properties.image                     | ok
      duplicate container names | 400 | DuplicateContainerName           | properties.containers[1].name                                 | ok
      port out of range         | 400 | InvalidContainerPort             | properties.containers[0].properties.ports[0].port             | ok
      bad env var name          | 400 | InvalidEnvironmentVariableName   | properties.containers[0].properties.environmentVariables[0].name | ok
      malformed json            | 400 | InvalidRequestContent            |                                                               | ok
      cpu of the wrong type     | 400 | InvalidRequestContent            | properties.containers[0].properties.resources.requests.cpu   | ok
      privileged container      | 400 | PrivilegedContainerNotAllowed    | properties.containers[0].properties.securityContext.privileged | ok
      windows                   | 400 | UnsupportedOsType                | properties.osType                                             | ok
      no containers             | 400 | ContainerGroupMustHaveContainers | properties.containers                                         | ok
      bad restart policy        | 400 | InvalidRestartPolicy             | properties.restartPolicy                                      | ok
      api-version missing       | 400 | MissingApiVersionParameter       | api-version                                                   | ok
      api-version too old       | 400 | InvalidApiVersionParameter       | api-version                                                   | ok
      more than any host has    | 409 | InsufficientCapacity             | properties.containers                                         | ok
      """)
  void isRefusedWithTheRuleAndTheField(
      String name, int status, String code, String target, String groupName) throws Exception {
    String sub = Groups.unique("bad");
    String group = groupName.equals("ok") ? Groups.unique("g") : groupName;
    String apiVersion = API_VERSION;
    String body =
        switch (name) {
          case "cpu over the group max" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":1001,\"memoryInGB\":1}}}"));
          case "negative cpu" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":-1,\"memoryInGB\":1}}}"));
          case "memory missing" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":1}}}"));
          case "bad image" ->
              groupWith(
                  container(
                      "{\"image\":\"Not A/Valid::Image\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}"));
          case "duplicate container names" -> groupWith(GOOD_CONTAINER + "," + GOOD_CONTAINER);
          case "port out of range" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"ports\":[{\"port\":70000}],\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}"));
          case "bad env var name" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"environmentVariables\":[{\"name\":\"1-bad\",\"value\":\"x\"}],"
                          + "\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}"));
          case "malformed json" -> "{\"location\":\"local\",\"properties\":{";
          case "cpu of the wrong type" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":\"lots\",\"memoryInGB\":1}}}"));
          case "privileged container" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"securityContext\":{\"privileged\":true},"
                          + "\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}"));
          case "windows" -> groupWith(GOOD_CONTAINER).replace("\"Linux\"", "\"Windows\"");
          case "no containers" ->
              "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"containers\":[]}}";
          case "bad restart policy" ->
              groupWith(GOOD_CONTAINER)
                  .replace("\"osType\"", "\"restartPolicy\":\"Sometimes\",\"osType\"");
          case "more than any host has" ->
              groupWith(
                  container(
                      "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":64,\"memoryInGB\":1}}}"));
          default -> groupWith(GOOD_CONTAINER);
        };
    if (name.equals("api-version missing")) {
      apiVersion = null;
    } else if (name.equals("api-version too old")) {
      apiVersion = "2021-03-01";
    }

    HttpResponse<String> response = put(sub, group, apiVersion, body, berth.adminKey());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText())
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain("at dev.");
    if (target != null) {
      assertThat(error.get("target").asText()).isEqualTo(target);
    }
    assertNothingCreated(sub);
  }

  @Test
  void capacityErrorsSayWhatWouldFit() throws Exception {
    String sub = Groups.unique("cap");
    HttpResponse<String> response =
        put(
            sub,
            Groups.unique("g"),
            API_VERSION,
            groupWith(
                container(
                    "{\"image\":\"berth/busybox:1\",\"resources\":{\"requests\":{\"cpu\":64,\"memoryInGB\":1}}}")),
            berth.adminKey());
    assertThat(response.statusCode()).isEqualTo(409);
    String message = JSON.readTree(response.body()).get("error").get("message").asText();
    assertThat(message)
        .contains("requested 64.0 vCPU and 1.0 GB")
        .containsPattern("roomiest host has [0-9.]+ vCPU and [0-9.]+ GB free");
    assertNothingCreated(sub);
  }

  @Test
  void explicitNullsAreReadAsAbsent() throws Exception {
    String sub = Groups.unique("nulls");
    String body =
        "{\"location\":\"local\",\"tags\":null,\"properties\":{\"osType\":\"Linux\",\"initContainers\":null,"
            + "\"volumes\":null,\"diagnostics\":null,\"extensions\":null,\"containers\":[{\"name\":\"main\",\"properties\":{"
            + "\"image\":\"berth/busybox:1\",\"command\":null,\"ports\":null,\"environmentVariables\":null,\"volumeMounts\":null,"
            + "\"resources\":{\"requests\":{\"cpu\":0.1,\"memoryInGB\":0.1},\"limits\":null}}}]}}";
    String name = Groups.unique("g");
    HttpResponse<String> response = put(sub, name, API_VERSION, body, berth.adminKey());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    new ContainerGroupsApi(client).containerGroupsDelete(sub, "rg1", name, API_VERSION);
  }

  @Test
  void noKeyOrAWrongKeyIs401() throws Exception {
    assertThat(put("s", "g", API_VERSION, groupWith(GOOD_CONTAINER), null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> wrong = put("s", "g", API_VERSION, groupWith(GOOD_CONTAINER), "not-a-key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrong.body()).get("error").get("code").asText())
        .isEqualTo("InvalidAuthenticationToken");
  }

  @Test
  void anUnknownGroupIs404WithArmsBodyAndAnEmptyListSaysValueEmpty() throws Exception {
    var response =
        get(
            "/subscriptions/nobody/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups/absent");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("error").get("code").asText())
        .isEqualTo("ResourceNotFound");

    var list = get("/subscriptions/nobody/providers/Microsoft.ContainerInstance/containerGroups");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(list.body()).get("value").isArray()).isTrue();
    assertThat(JSON.readTree(list.body()).get("value")).isEmpty();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client
        .getHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(berth.baseUri() + path + "?api-version=" + API_VERSION))
                .header("Authorization", "Bearer " + berth.adminKey())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private void assertNothingCreated(String sub) throws Exception {
    assertThat(
            new ContainerGroupsApi(client).containerGroupsList(sub, API_VERSION, null).getValue())
        .isNullOrEmpty();
    assertThat(
            DockerClientFactory.instance()
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of("dev.berth.subscription", sub))
                .exec())
        .isEmpty();
  }
}
