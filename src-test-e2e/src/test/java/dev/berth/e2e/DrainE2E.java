package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerPort;
import dev.berth.sdk.model.Host;
import dev.berth.sdk.model.IpAddress;
import dev.berth.sdk.model.Port;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drain of a host carrying an Always group that serves HTTP on a published port: a client that
 * follows the group's address sees it answer again from the new host, the new copy answers before
 * the old one stops (Nomad's drain), and the host ends Cordoned and empty.
 */
class DrainE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TwoEngineFleet fleet;
  private static Dockerd drained;
  private static Dockerd target;
  private static BerthProcess berth;
  private static HostsApi hosts;
  private static ContainerGroupsApi api;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = TwoEngineFleet.start("dr1", "dr2", List.of("--berth.hosts.ping-interval=1s"));
    drained = fleet.first;
    target = fleet.second;
    berth = fleet.berth;
    hosts = fleet.hosts;
    api = fleet.api;
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** One look of the client: the address the group had, and what answered there. */
  record Look(long at, String address, String body) {
    boolean answered() {
      return body != null;
    }
  }

  @Test
  void aDrainedHostsWebGroupAnswersAgainFromItsNewHostAndTheHostEndsEmpty() throws Exception {
    String sub = Groups.unique("drain");
    int port = freePort();
    EngineScan scan = EngineScan.localAnd(drained, target, sub);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    List<Look> follower = new CopyOnWriteArrayList<>();
    // Answers by address, whatever the group says: to see the old and the new copy side by side.
    List<Look> byAddress = new CopyOnWriteArrayList<>();
    ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
    try {
      Hosts.pinnedTo(
          hosts,
          drained.name(),
          () -> api.containerGroupsCreateOrUpdate(sub, "rg", "web", API_VERSION, web(port)));
      ContainerGroup before = Groups.awaitState(api, sub, "rg", "web", "Running");
      assertThat(before.getProperties().getHostName()).isEqualTo(drained.name());
      assertThat(before.getProperties().getIpAddress().getIp()).isEqualTo("127.0.0.2");

      client.scheduleWithFixedDelay(
          () -> {
            long now = System.nanoTime();
            try {
              String ip =
                  api.containerGroupsGet(sub, "rg", "web", API_VERSION)
                      .getProperties()
                      .getIpAddress()
                      .getIp();
              follower.add(new Look(now, ip, fetch(http, ip, port)));
            } catch (Exception e) {
              follower.add(new Look(now, "?", null));
            }
            for (String ip : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) {
              byAddress.add(new Look(now, ip, fetch(http, ip, port)));
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      await("the client to see the page on " + drained.name())
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  follower.stream().anyMatch(l -> l.answered() && l.address().equals("127.0.0.2")));
      String oldPage = follower.stream().filter(Look::answered).findFirst().orElseThrow().body();

      var started = hosts.drainHostWithHttpInfo(drained.name(), 120);
      assertThat(started.getStatusCode()).isEqualTo(202);
      List<String> location = started.getHeaders().get("location");
      assertThat(location).as("Location header").isNotNull().hasSize(1);
      URI progress = URI.create(berth.baseUri()).resolve(location.get(0));

      await("the drain at " + progress + " to succeed")
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> "Succeeded".equals(drainState(http, progress).path("state").asText()));
      await("the client to see the page answer again from the new host")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  follower.stream()
                      .anyMatch(
                          l ->
                              l.answered()
                                  && !l.address().equals("127.0.0.2")
                                  && !l.body().equals(oldPage)));
      client.shutdown();
      assertThat(client.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      ContainerGroup after = Groups.awaitState(api, sub, "rg", "web", "Running");
      String newHost = after.getProperties().getHostName();
      String newAddress = after.getProperties().getIpAddress().getIp();
      assertThat(newHost).isIn(Hosts.LOCAL, target.name());
      assertThat(newAddress).isNotEqualTo("127.0.0.2");
      assertThat(follower.get(follower.size() - 1))
          .satisfies(
              l -> {
                assertThat(l.address()).isEqualTo(newAddress);
                assertThat(l.body()).isNotNull().isNotEqualTo(oldPage);
              });
      // Started and answering on the new host before the old copy stopped: one look saw both.
      assertThat(bothAnsweredAtOneLook(byAddress, "127.0.0.2", newAddress))
          .as("a look at which the old and the new copy both answered")
          .isTrue();
      System.out.printf(
          "drain: longest gap the following client saw: %.1f s; %d looks failed of %d%n",
          longestGap(follower) / 1e9,
          follower.stream().filter(l -> !l.answered()).count(),
          follower.size());

      Host empty = hosts.getHost(drained.name());
      assertThat(empty.getState()).isEqualTo(Host.StateEnum.CORDONED);
      assertThat(empty.getGroupCount()).isZero();
      assertThat(empty.getGroups()).isNullOrEmpty();
      assertThat(drainState(http, progress).path("remainingGroups").size()).isZero();
      EngineScan.Seen seen = scan.assertNoGroupRunsTwice();
      assertThat(seen.copies()).filteredOn(c -> c.engine().equals(drained.name())).isEmpty();
      assertThat(seen.enginesRunning(sub, "web")).containsExactly(newHost);

      api.containerGroupsDelete(sub, "rg", "web", API_VERSION);
      assertThat(scan.scan().copies()).isEmpty();
    } finally {
      client.shutdownNow();
      Groups.deleteQuietly(api, sub, "rg", List.of("web"));
    }
  }

  private static ContainerGroup web(int port) {
    // Each copy serves a page of its own (a random uuid), so the client can tell them apart.
    ContainerGroup group =
        Groups.group(
            "Always",
            Groups.container(
                "web",
                0.25,
                0.125,
                "sh",
                "-c",
                "mkdir -p /www; cat /proc/sys/kernel/random/uuid > /www/index.html; httpd -f -p "
                    + port
                    + " -h /www"));
    group
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .ports(List.of(new ContainerPort().port(port)));
    group
        .getProperties()
        .ipAddress(
            new IpAddress().type("Public").ports(List.of(new Port().port(port).protocol("TCP"))));
    return group;
  }

  private static String fetch(HttpClient http, String ip, int port) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/index.html"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static JsonNode drainState(HttpClient http, URI progress) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(progress)
                .header("Authorization", "Bearer " + berth.adminKey())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", progress).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static boolean bothAnsweredAtOneLook(List<Look> looks, String old, String now) {
    Set<Long> oldAnswered =
        looks.stream()
            .filter(l -> l.answered() && l.address().equals(old))
            .map(Look::at)
            .collect(java.util.stream.Collectors.toSet());
    return looks.stream()
        .anyMatch(l -> l.answered() && l.address().equals(now) && oldAnswered.contains(l.at()));
  }

  private static long longestGap(List<Look> looks) {
    long longest = 0;
    Long lastAnswer = null;
    for (Look l : looks) {
      if (l.answered()) {
        if (lastAnswer != null) {
          longest = Math.max(longest, l.at() - lastAnswer);
        }
        lastAnswer = l.at();
      }
    }
    return longest;
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }
}
