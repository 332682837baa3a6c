package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code logs?follow=true}: a container's output followed as it is written, across restarts, once
 * per line, resumed with Last-Event-ID, and followed on from another replica when the one a client
 * was reading from is killed.
 */
class LogStreamsE2E {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static URI logs(BerthProcess berth, String sub, String name, String query) {
    return Groups.uri(berth, sub, name, "/containers/main/logs", "&follow=true" + query);
  }

  private static List<String> lines(List<Sse.Event> events) {
    return events.stream().filter(e -> e.name().equals("stdout")).map(Sse.Event::data).toList();
  }

  private static HttpResponse<String> get(BerthProcess berth, URI uri, String lastEventId)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer " + berth.adminKey());
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFollowerGetsEachLineOnceAcrossRestartsAndResumesAfterTheLastLineItGot() throws Exception {
    BerthProcess berth = BerthProcess.get();
    ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
    String sub = Groups.unique("logs-follow");
    try {
      // Fails its first run and succeeds its second: OnFailure starts it once again.
      api.containerGroupsCreateOrUpdate(
          sub, "rg", "counter", API_VERSION, Groups.group("OnFailure", Groups.failsItsFirstRun(3)));
      List<Sse.Event> all = new CopyOnWriteArrayList<>();

      CompletableFuture<Integer> followed =
          Sse.open(logs(berth, sub, "counter", ""), berth.adminKey(), null, all);

      await("the followed logs to end with the group")
          .atMost(Duration.ofSeconds(120))
          .until(followed::isDone);
      assertThat(followed.get()).isEqualTo(200);
      assertThat(lines(all))
          .containsExactly(
              "run 1",
              "run 1 line 1",
              "run 1 line 2",
              "run 1 line 3",
              "run 2",
              "run 2 line 1",
              "run 2 line 2",
              "run 2 line 3");
      assertThat(all.get(all.size() - 1).name())
          .as("the last event says it ended")
          .isEqualTo("end");
      List<Instant> times =
          all.stream().filter(e -> e.id() != null).map(e -> Instant.parse(e.id())).toList();
      assertThat(times).hasSize(8).isSorted().doesNotHaveDuplicates();
      assertThat(Groups.awaitState(api, sub, "rg", "counter", "Succeeded")).isNotNull();

      // A client that got two lines reconnects: the six after them, once.
      List<Sse.Event> rest = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> resumed =
          Sse.open(logs(berth, sub, "counter", ""), berth.adminKey(), all.get(1).id(), rest);
      await().atMost(Duration.ofSeconds(60)).until(resumed::isDone);
      assertThat(lines(rest)).isEqualTo(lines(all).subList(2, 8));

      // Past the last line of an ended group: 204, so an EventSource stops reconnecting.
      assertThat(get(berth, logs(berth, sub, "counter", ""), all.get(7).id()).statusCode())
          .isEqualTo(204);

      // As plain text: the latest run, then the end; tail and timestamps as without follow.
      HttpResponse<String> text = get(berth, logs(berth, sub, "counter", ""), null);
      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(text.body()).isEqualTo("run 2\nrun 2 line 1\nrun 2 line 2\nrun 2 line 3\n");
      HttpResponse<String> tail =
          get(berth, logs(berth, sub, "counter", "&tail=1&timestamps=true"), null);
      assertThat(tail.body()).isEqualTo(all.get(7).id() + " run 2 line 3\n");

      HttpResponse<String> badCursor =
          get(berth, logs(berth, sub, "counter", ""), "the line before");
      assertThat(badCursor.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(badCursor.body()).at("/error/target").asText())
          .isEqualTo("Last-Event-ID");
      HttpResponse<String> noContainer =
          get(
              berth,
              Groups.uri(berth, sub, "counter", "/containers/nope/logs", "&follow=true"),
              null);
      assertThat(noContainer.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(noContainer.body()).at("/error/code").asText()).isNotEmpty();
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("counter"));
    }
  }

  @Test
  void aFollowGoesOnFromAnotherReplicaWhenItsReplicaIsKilled() throws Exception {
    Map<String, String> environment = new HashMap<>(SharedPostgres.newDatabase());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    environment.put("BERTH_SECRET_KEY", Base64.getEncoder().encodeToString(key));
    List<String> args =
        List.of(
            "--berth.hosts.ping-interval=1s",
            "--berth.hosts.lease-duration=6s",
            "--berth.hosts.lease-renew-interval=1s");
    BerthProcess victim = BerthProcess.start(args, environment);
    BerthProcess survivor = null;
    String sub = Groups.unique("logs-failover");
    try {
      survivor = BerthProcess.start(args, environment);
      ContainerGroupsApi api = new ContainerGroupsApi(victim.adminClient());
      // The subscription's stream too, followed from before the group is made.
      List<Sse.Event> subscriptionBefore = new CopyOnWriteArrayList<>();
      Sse.Following subscriptionOnVictim =
          Sse.follow(
              SubscriptionEventsE2E.stream(victim, sub, "&follow=true"),
              victim.adminKey(),
              null,
              subscriptionBefore);
      await().atMost(Duration.ofSeconds(30)).until(() -> subscriptionOnVictim.opened().isDone());
      api.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          "talker",
          API_VERSION,
          Groups.group(
              "Never",
              Groups.container(
                  "main",
                  0.1,
                  0.0625,
                  "sh",
                  "-c",
                  "i=1; while [ $i -le 15 ]; do echo line $i; i=$((i+1)); sleep 0.4; done")));
      List<Sse.Event> before = new CopyOnWriteArrayList<>();
      List<Sse.Event> eventsBefore = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> onVictim =
          Sse.open(logs(victim, sub, "talker", ""), victim.adminKey(), null, before);
      CompletableFuture<Integer> eventsOnVictim =
          Sse.open(
              Groups.uri(victim, sub, "talker", "/events", "&follow=true"),
              victim.adminKey(),
              null,
              eventsBefore);
      await("three lines through the first replica")
          .atMost(Duration.ofSeconds(60))
          .until(() -> lines(before).size() >= 3);

      victim.kill();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  onVictim.isDone()
                      && eventsOnVictim.isDone()
                      && subscriptionOnVictim.status().isDone());
      String lastLine = before.get(before.size() - 1).id();
      String lastEvent =
          eventsBefore.isEmpty() ? null : eventsBefore.get(eventsBefore.size() - 1).id();

      // The client goes on where it left off, through the other replica.
      List<Sse.Event> after = new CopyOnWriteArrayList<>();
      List<Sse.Event> eventsAfter = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> onSurvivor =
          Sse.open(logs(survivor, sub, "talker", ""), survivor.adminKey(), lastLine, after);
      CompletableFuture<Integer> eventsOnSurvivor =
          Sse.open(
              Groups.uri(survivor, sub, "talker", "/events", "&follow=true"),
              survivor.adminKey(),
              lastEvent,
              eventsAfter);
      List<Sse.Event> subscriptionAfter = new CopyOnWriteArrayList<>();
      List<Sse.Event> heardOfTheGroup = new CopyOnWriteArrayList<>(subscriptionBefore);
      try (Sse.Following subscriptionOnSurvivor =
          Sse.follow(
              SubscriptionEventsE2E.stream(survivor, sub, "&follow=true"),
              survivor.adminKey(),
              subscriptionBefore.isEmpty()
                  ? null
                  : subscriptionBefore.get(subscriptionBefore.size() - 1).id(),
              subscriptionAfter)) {
        await("the followed logs to end with the group, on the survivor")
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    onSurvivor.isDone()
                        && eventsOnSurvivor.isDone()
                        && subscriptionAfter.stream()
                            .anyMatch(
                                e ->
                                    e.name().equals("StateChanged")
                                        && e.data().contains("\"Succeeded\"")));
      }
      heardOfTheGroup.addAll(subscriptionAfter);
      assertThat(heardOfTheGroup).extracting(Sse.Event::id).doesNotHaveDuplicates();

      List<String> heard = new java.util.ArrayList<>(lines(before));
      heard.addAll(lines(after));
      assertThat(heard)
          .as("every line once, in order, across the two replicas")
          .isEqualTo(IntStream.rangeClosed(1, 15).mapToObj(i -> "line " + i).toList());
      List<Sse.Event> events = new java.util.ArrayList<>(eventsBefore);
      events.addAll(eventsAfter);
      assertThat(events)
          .extracting(e -> Long.parseLong(e.id()))
          .as("gap-free event numbers across the two replicas")
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
      List<Sse.Event> states =
          events.stream().filter(e -> e.name().equals("StateChanged")).toList();
      assertThat(JSON.readTree(states.get(states.size() - 1).data()).path("state").asText())
          .isEqualTo("Succeeded");
      // The subscription's stream told the same, each once, across the two replicas.
      List<com.fasterxml.jackson.databind.JsonNode> ofTheGroup = new java.util.ArrayList<>();
      for (Sse.Event e : events) {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(e.data());
        data.remove("id");
        ofTheGroup.add(data);
      }
      assertThat(SubscriptionEventsE2E.ofGroup(heardOfTheGroup, "talker"))
          .as("the subscription's stream across the two replicas")
          .isEqualTo(ofTheGroup);
    } finally {
      victim.kill();
      if (survivor != null) {
        survivor.stop();
      }
    }
  }
}
