package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The subscription-wide stream: every group's events, followed as Server-Sent Events, each once and
 * in each group's own order, resumed with Last-Event-ID, listed, and kept to its subscription.
 */
class SubscriptionEventsE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());

  static URI stream(BerthProcess berth, String sub, String query) {
    return URI.create(
        berth.baseUri()
            + "/subscriptions/"
            + sub
            + "/providers/Microsoft.ContainerInstance/events?api-version="
            + API_VERSION
            + query);
  }

  private HttpResponse<String> get(URI uri, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The group's own stream, listed, each event without its id: what the subscription's shows. */
  private List<JsonNode> groupEvents(String sub, String name) throws Exception {
    HttpResponse<String> listed =
        get(Groups.uri(berth, sub, name, "/events", ""), berth.adminKey());
    assertThat(listed.statusCode()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    for (JsonNode e : JSON.readTree(listed.body()).get("value")) {
      ((ObjectNode) e).remove("id");
      events.add(e);
    }
    return events;
  }

  /** The events of one group in what a subscription stream gave, without the stream's fields. */
  static List<JsonNode> ofGroup(List<Sse.Event> received, String name) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (Sse.Event e : received) {
      ObjectNode data = (ObjectNode) JSON.readTree(e.data());
      assertThat(data.get("id").asText()).isEqualTo(e.id());
      assertThat(data.get("kind").asText()).isEqualTo(e.name());
      if (data.get("containerGroup").asText().equals(name)) {
        data.remove(List.of("id", "resourceGroup", "containerGroup"));
        events.add(data);
      }
    }
    return events;
  }

  private static boolean ended(List<Sse.Event> received, String name) throws Exception {
    for (Sse.Event e : received) {
      JsonNode data = JSON.readTree(e.data());
      if (data.get("containerGroup").asText().equals(name)
          && e.name().equals("StateChanged")
          && data.get("state").asText().equals("Succeeded")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aFollowerSeesEveryGroupsEventsOnceInOrderAndResumesWhereItLeftOff() throws Exception {
    String sub = Groups.unique("sub-events");
    List<String> names = List.of("first", "second");
    List<Sse.Event> received = new CopyOnWriteArrayList<>();
    try (Sse.Following following =
        Sse.follow(stream(berth, sub, "&follow=true"), berth.adminKey(), null, received)) {
      // Followed from now on: the groups are made once the stream is open.
      await("the follow to be served")
          .atMost(Duration.ofSeconds(30))
          .until(() -> following.opened().isDone());
      assertThat(following.opened().get()).isEqualTo(200);
      for (String name : names) {
        api.containerGroupsCreateOrUpdate(
            sub,
            "rg",
            name,
            API_VERSION,
            Groups.group(
                "Never",
                Groups.container("main", 0.1, 0.0625, "sh", "-c", "echo " + name + "; sleep 1")));
      }
      await("both groups to end, as the stream tells")
          .atMost(Duration.ofSeconds(120))
          .until(() -> ended(received, "first") && ended(received, "second"));
    }
    assertThat(received).extracting(Sse.Event::id).doesNotHaveDuplicates();
    for (String name : names) {
      assertThat(ofGroup(received, name))
          .as("%s's events, each once and in its own stream's order", name)
          .isEqualTo(groupEvents(sub, name));
    }

    // Listed: the same events, the same ids, in the same order.
    HttpResponse<String> listed = get(stream(berth, sub, ""), berth.adminKey());
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonNode value = JSON.readTree(listed.body()).get("value");
    List<String> listedIds = new ArrayList<>();
    value.forEach(e -> listedIds.add(e.get("id").asText()));
    assertThat(listedIds).isEqualTo(received.stream().map(Sse.Event::id).toList());
    assertThat(JSON.readTree(listed.body()).has("nextLink")).isFalse();

    // A follower that got the first three reconnects: exactly the rest.
    List<Sse.Event> rest = new CopyOnWriteArrayList<>();
    try (Sse.Following resumed =
        Sse.follow(
            stream(berth, sub, "&follow=true"), berth.adminKey(), received.get(2).id(), rest)) {
      await("the rest")
          .atMost(Duration.ofSeconds(30))
          .until(() -> rest.size() >= received.size() - 3);
    }
    assertThat(rest).isEqualTo(received.subList(3, received.size()));
    // And listed after an id.
    JsonNode afterThird =
        JSON.readTree(
                get(stream(berth, sub, "&after=" + received.get(2).id()), berth.adminKey()).body())
            .get("value");
    assertThat(afterThird.size()).isEqualTo(received.size() - 3);
  }

  @Test
  void anIdThatIsNotOneIsRefusedAndAnotherTenantsStreamIsAbsent() throws Exception {
    String sub = Groups.unique("sub-events-bad");
    HttpResponse<String> refused =
        HTTP.send(
            HttpRequest.newBuilder(stream(berth, sub, "&follow=true"))
                .GET()
                .header("Authorization", "Bearer " + berth.adminKey())
                .header("Last-Event-ID", "7")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("InvalidLastEventId");
    assertThat(error.get("target").asText()).isEqualTo("Last-Event-ID");
    assertThat(
            JSON.readTree(get(stream(berth, sub, "&after=x.y.z"), berth.adminKey()).body())
                .at("/error/target")
                .asText())
        .isEqualTo("after");

    String tenantKey =
        new dev.berth.sdk.api.AdminApi(berth.adminClient())
            .createApiKey(new dev.berth.sdk.model.ApiKeyRequest().subscriptionId(sub))
            .getKey();
    HttpResponse<String> none = get(stream(berth, sub, ""), tenantKey);
    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.body()).as("an empty list says so, as ARM's do").isEqualTo("{\"value\":[]}");
    HttpResponse<String> other = get(stream(berth, Groups.unique("someone-else"), ""), tenantKey);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(other.body()).at("/error/code").asText())
        .isEqualTo("SubscriptionNotFound");
  }
}
