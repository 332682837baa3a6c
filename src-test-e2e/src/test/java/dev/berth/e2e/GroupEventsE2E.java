package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A group's events followed as Server-Sent Events, and resumed with Last-Event-ID. */
class GroupEventsE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());

  /** One SSE event as received. */
  record Received(long id, String kind, JsonNode data) {}

  private URI events(String sub, String name, String query) {
    return Groups.uri(berth, sub, name, "/events", query);
  }

  /** Follows the stream until Berth ends it; every event received, in order. */
  private List<Received> follow(URI uri, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header("Authorization", "Bearer " + berth.adminKey())
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    CompletableFuture<HttpResponse<Stream<String>>> answer =
        HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<List<Received>> read =
        answer.thenApply(
            response -> {
              assertThat(response.statusCode()).isEqualTo(200);
              List<Received> received = new ArrayList<>();
              String[] event = new String[3];
              response
                  .body()
                  .forEach(
                      line -> {
                        if (line.startsWith("id:")) {
                          event[0] = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                          event[1] = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                          event[2] = line.substring(5).trim();
                        } else if (line.isEmpty() && event[0] != null) {
                          try {
                            received.add(
                                new Received(
                                    Long.parseLong(event[0]), event[1], JSON.readTree(event[2])));
                          } catch (Exception e) {
                            throw new AssertionError(e);
                          }
                          event[0] = event[1] = event[2] = null;
                        }
                      });
              return received;
            });
    // The stream ends by itself once the group has ended.
    await("the event stream to end").atMost(Duration.ofSeconds(120)).until(read::isDone);
    return read.get();
  }

  @Test
  void aFollowerSeesEveryChangeOnceInOrderAndResumesWhereItLeftOff() throws Exception {
    String sub = Groups.unique("events");
    try {
      api.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          "job",
          API_VERSION,
          Groups.group(
              "Never", Groups.container("main", 0.1, 0.0625, "sh", "-c", "echo hi; sleep 1")));

      List<Received> all = follow(events(sub, "job", "&follow=true"), null);

      assertThat(all).extracting(Received::id).isNotEmpty();
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).id()).as("gap-free numbering").isEqualTo(i + 1);
      }
      List<String> states =
          all.stream()
              .filter(r -> r.kind().equals("StateChanged"))
              .map(r -> r.data().get("state").asText())
              .toList();
      assertThat(states).contains("Running").last().isEqualTo("Succeeded");
      assertThat(all)
          .anySatisfy(
              r -> {
                assertThat(r.kind()).isEqualTo("Event");
                assertThat(r.data().get("container").asText()).isEqualTo("main");
                assertThat(r.data().get("name").asText()).isEqualTo("Started");
              });
      assertThat(all)
          .anySatisfy(
              r -> {
                assertThat(r.kind()).isEqualTo("ContainerStateChanged");
                assertThat(r.data().get("state").asText()).isEqualTo("Terminated");
              });
      assertThat(all).allSatisfy(r -> assertThat(r.data().get("id").asLong()).isEqualTo(r.id()));

      // A follower that got the first two reconnects: exactly the rest, the same events.
      List<Received> rest = follow(events(sub, "job", "&follow=true"), "2");
      assertThat(rest).isEqualTo(all.subList(2, all.size()));

      // Following an ended group past its last event: 204, so SSE clients stop reconnecting.
      HttpResponse<String> nothingMore =
          HTTP.send(
              HttpRequest.newBuilder(events(sub, "job", "&follow=true"))
                  .GET()
                  .header("Authorization", "Bearer " + berth.adminKey())
                  .header("Accept", "text/event-stream")
                  .header("Last-Event-ID", Long.toString(all.get(all.size() - 1).id()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(nothingMore.statusCode()).isEqualTo(204);

      // Listed without follow, after=1.
      HttpResponse<String> listed =
          HTTP.send(
              HttpRequest.newBuilder(events(sub, "job", "&after=1"))
                  .GET()
                  .header("Authorization", "Bearer " + berth.adminKey())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(listed.statusCode()).isEqualTo(200);
      JsonNode value = JSON.readTree(listed.body()).get("value");
      assertThat(value.size()).isEqualTo(all.size() - 1);
      assertThat(value.get(0)).isEqualTo(all.get(1).data());
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("job"));
    }
  }

  @Test
  void aLastEventIdThatIsNotAnIdIsRefusedNamingTheHeader() throws Exception {
    String sub = Groups.unique("events-bad");
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "g", API_VERSION, Groups.sleeper("Never"));
      HttpResponse<String> refused =
          HTTP.send(
              HttpRequest.newBuilder(events(sub, "g", "&follow=true"))
                  .GET()
                  .header("Authorization", "Bearer " + berth.adminKey())
                  .header("Last-Event-ID", "yesterday")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      JsonNode error = JSON.readTree(refused.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("InvalidLastEventId");
      assertThat(error.get("target").asText()).isEqualTo("Last-Event-ID");

      HttpResponse<String> missing =
          HTTP.send(
              HttpRequest.newBuilder(events(sub, "nope", ""))
                  .GET()
                  .header("Authorization", "Bearer " + berth.adminKey())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("g"));
    }
  }
}
