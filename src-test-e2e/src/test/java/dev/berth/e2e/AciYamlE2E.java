package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ACI's YAML (az container create --file) in and out, against the running Berth. */
class AciYamlE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());

  /** A file as ACI's YAML reference writes one, with the sample image. */
  private static String document(String name, String type) {
    return """
        apiVersion: 2019-12-01
        location: local
        name: %s
        properties:
          containers:
          - name: web
            properties:
              image: %s
              command: ["sleep", "3600"]
              resources:
                requests:
                  cpu: 0.25
                  memoryInGb: 0.25
              environmentVariables:
              - name: GREETING
                value: hello from yaml
          osType: Linux
          restartPolicy: Never
        tags:
          made-by: yaml
        type: %s
        """
        .formatted(name, Groups.IMAGE, type);
  }

  private URI groupUri(String sub, String name) {
    return Groups.uri(berth, sub, name, "", "");
  }

  private HttpResponse<String> put(URI uri, String yaml) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .PUT(HttpRequest.BodyPublishers.ofString(yaml))
            .header("Authorization", "Bearer " + berth.adminKey())
            .header("Content-Type", "application/yaml")
            .header("Accept", "application/yaml")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aGroupCreatedFromAciYamlRunsAndIsAnsweredAsYamlThatPutTakesBack() throws Exception {
    String sub = Groups.unique("yaml");
    URI uri = groupUri(sub, "from-yaml");
    try {
      HttpResponse<String> created =
          put(uri, document("from-yaml", "Microsoft.ContainerInstance/containerGroups"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(created.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
      assertThat(created.body())
          .startsWith("apiVersion: " + API_VERSION + "\n")
          .contains("name: from-yaml\n");

      var running = Groups.awaitState(api, sub, "rg", "from-yaml", "Running");
      var container = running.getProperties().getContainers().get(0).getProperties();
      assertThat(container.getEnvironmentVariables().get(0).getValue())
          .isEqualTo("hello from yaml");
      assertThat(running.getTags()).containsEntry("made-by", "yaml");

      HttpResponse<String> yaml =
          HTTP.send(
              HttpRequest.newBuilder(uri)
                  .GET()
                  .header("Authorization", "Bearer " + berth.adminKey())
                  .header("Accept", "application/yaml")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(yaml.statusCode()).isEqualTo(200);
      assertThat(yaml.body())
          .startsWith("apiVersion: " + API_VERSION + "\n")
          .contains("type: Microsoft.ContainerInstance/containerGroups")
          .contains("state: Running")
          .doesNotContain("{\"");

      // What GET answered, PUT takes back as it is: same spec, so 200 and nothing restarts.
      HttpResponse<String> again = put(uri, yaml.body());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("from-yaml"));
    }
  }

  @Test
  void badYamlIsRefusedNamingTheRuleAndNothingIsCreated() throws Exception {
    String sub = Groups.unique("yaml-bad");
    record Case(String name, String body, String code, String target, String message) {}
    List<Case> cases =
        List.of(
            new Case("broken", "properties: [unclosed\n", "InvalidRequestContent", "", "YAML"),
            new Case(
                "wrong-type",
                document("wrong-type", "Microsoft.Web/sites"),
                "InvalidResourceType",
                "type",
                "Microsoft.Web/sites"),
            new Case(
                "other-name",
                document("not-the-path", "Microsoft.ContainerInstance/containerGroups"),
                "InvalidRequestContent",
                "name",
                "not-the-path"),
            new Case(
                "bad-cpu",
                document("bad-cpu", "Microsoft.ContainerInstance/containerGroups")
                    .replace("cpu: 0.25", "cpu: lots"),
                "InvalidRequestContent",
                "properties.containers[0].properties.resources.requests.cpu",
                "cpu"));
    for (Case c : cases) {
      HttpResponse<String> refused = put(groupUri(sub, c.name()), c.body());
      assertThat(refused.statusCode()).as(c.name() + ": " + refused.body()).isEqualTo(400);
      JsonNode error = JSON.readTree(refused.body()).get("error");
      assertThat(error.get("code").asText()).as(c.name()).isEqualTo(c.code());
      assertThat(error.path("target").asText()).as(c.name()).isEqualTo(c.target());
      assertThat(error.get("message").asText()).as(c.name()).contains(c.message());
    }
    assertThat(api.containerGroupsListByResourceGroup(sub, "rg", API_VERSION, null).getValue())
        .isNullOrEmpty();
  }
}
