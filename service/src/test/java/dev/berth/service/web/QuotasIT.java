package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quotas over HTTP on real PostgreSQL: the usages call in ACI's shape with the subscription's use,
 * QuotaExceeded (ACI's ContainerGroupQuotaReached in details) for a create or a cores-raising
 * update past a quota (nothing created or changed), concurrent creates that cannot both take the
 * last unit, and the admin quota API. Hosts are rows only (no engine is needed: nothing here waits
 * for a container), never pinged.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "berth.admin-key=it-admin",
      "berth.hosts.register=",
      "berth.reconcile.sweep-interval=1h",
      // Hosts here are rows without an engine: no ping may find them silent mid-test.
      "berth.hosts.ping-interval=1h",
      "berth.quotas.container-groups=5",
      "berth.quotas.cores=4"
    })
class QuotasIT {

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  @BeforeEach
  void roomyHost() {
    jdbc.update(
        "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
            + " engine_version, last_seen_at) values (?, 'unix:///nowhere', 640000, 819200,"
            + " 'test', now())",
        unique("host"));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  record Answer(int status, JsonNode body) {}

  private Answer call(String method, String path, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer it-admin")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(), response.body().isEmpty() ? null : json.readTree(response.body()));
  }

  private static String group(double... cpus) {
    StringBuilder containers = new StringBuilder();
    for (int i = 0; i < cpus.length; i++) {
      containers
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"c")
          .append(i)
          .append("\",\"properties\":{\"image\":\"berth/busybox:1\",")
          .append("\"resources\":{\"requests\":{\"cpu\":")
          .append(cpus[i])
          .append(",\"memoryInGB\":0.25}}}}");
    }
    return "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"restartPolicy\":\"Never\","
        + "\"containers\":["
        + containers
        + "]}}";
  }

  private Answer putGroup(String sub, String name, String body) throws Exception {
    return call(
        "PUT",
        "/subscriptions/"
            + sub
            + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
            + name
            + "?api-version=2023-05-01",
        body);
  }

  private Answer usages(String sub) throws Exception {
    return call(
        "GET",
        "/subscriptions/"
            + sub
            + "/providers/Microsoft.ContainerInstance/locations/local/usages?api-version=2023-05-01",
        null);
  }

  private Answer setQuota(String sub, String body) throws Exception {
    return call("PUT", "/admin/quotas/" + sub, body);
  }

  private long groups(String sub) {
    return jdbc.queryForObject(
        "select count(*) from container_groups where subscription_id = ?", Long.class, sub);
  }

  private static JsonNode usage(Answer answer, String name) {
    for (JsonNode u : answer.body().get("value")) {
      if (u.get("name").get("value").asString().equals(name)) {
        return u;
      }
    }
    throw new AssertionError("no usage " + name + " in " + answer.body());
  }

  @Test
  void usagesAnswerAcisShapeWithTheSubscriptionsUse() throws Exception {
    String sub = unique("sub");
    Answer empty = usages(sub);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body().get("value")).hasSize(2);
    JsonNode groups = usage(empty, "ContainerGroups");
    assertThat(groups.get("name").get("localizedValue").asString()).isEqualTo("Container Groups");
    assertThat(groups.get("unit").asString()).isEqualTo("Count");
    assertThat(groups.get("currentValue").asInt()).isZero();
    assertThat(groups.get("limit").asInt()).isEqualTo(5);
    assertThat(usage(empty, "StandardCores").get("limit").asInt()).isEqualTo(4);

    assertThat(putGroup(sub, "a", group(0.5, 0.5)).status()).isEqualTo(201);
    assertThat(putGroup(sub, "b", group(0.25)).status()).isEqualTo(201);
    assertThat(putGroup(unique("other"), "a", group(1)).status()).isEqualTo(201);

    Answer used = usages(sub);
    assertThat(usage(used, "ContainerGroups").get("currentValue").asInt()).isEqualTo(2);
    // 1.25 vCPU requested: rounded up to whole cores, as ACI's integer field must be.
    assertThat(usage(used, "StandardCores").get("currentValue").asInt()).isEqualTo(2);
    JsonNode cores = usage(used, "StandardCores");
    assertThat(cores.get("name").get("localizedValue").asString()).isEqualTo("Standard Cores");
  }

  @Test
  void theUseKeptByTriggersFollowsEveryChangeOfTheGroups() throws Exception {
    String sub = unique("sub");
    assertThat(putGroup(sub, "a", group(0.5, 0.25)).status()).isEqualTo(201);
    assertThat(putGroup(sub, "b", group(0.25)).status()).isEqualTo(201);
    assertThat(putGroup(sub, "c", group(0.5)).status()).isEqualTo(201);
    // Replaced with more cores, then with fewer; a tag-only change moves nothing.
    assertThat(putGroup(sub, "b", group(1.5)).status()).isEqualTo(200);
    assertThat(putGroup(sub, "a", group(0.125)).status()).isEqualTo(200);
    String groups = "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/";
    assertThat(
            call(
                    "PATCH",
                    "/subscriptions/" + sub + groups + "c?api-version=2023-05-01",
                    "{\"tags\":{\"team\":\"x\"}}")
                .status())
        .isEqualTo(200);
    // What the reconciler does at the end of a delete, and what a delete request marks first.
    jdbc.update(
        "update container_groups set desired_state = 'DELETED' where subscription_id = ? and name = 'c'",
        sub);
    jdbc.update("delete from container_groups where subscription_id = ? and name = 'c'", sub);

    Map<String, Object> kept =
        jdbc.queryForMap(
            "select used_groups, used_milli_cpu from subscription_quotas where subscription_id = ?",
            sub);
    Map<String, Object> counted =
        jdbc.queryForMap(
            "select count(*) as used_groups, sum(berth_spec_milli_cpu(spec)) as used_milli_cpu"
                + " from container_groups where subscription_id = ? and desired_state <> 'DELETED'",
            sub);
    assertThat(((Number) kept.get("used_groups")).longValue()).isEqualTo(2);
    assertThat(((Number) kept.get("used_milli_cpu")).longValue()).isEqualTo(1625);
    assertThat(((Number) counted.get("used_groups")).longValue()).isEqualTo(2);
    assertThat(((Number) counted.get("used_milli_cpu")).longValue()).isEqualTo(1625);
    Answer used = usages(sub);
    assertThat(usage(used, "ContainerGroups").get("currentValue").asInt()).isEqualTo(2);
    assertThat(usage(used, "StandardCores").get("currentValue").asInt()).isEqualTo(2);
  }

  @Test
  void aCreatePastTheGroupQuotaIsRefusedNamingItAndCreatesNothing() throws Exception {
    String sub = unique("sub");
    assertThat(setQuota(sub, "{\"containerGroups\": 2}").status()).isEqualTo(200);
    assertThat(putGroup(sub, "a", group(0.1)).status()).isEqualTo(201);
    assertThat(putGroup(sub, "b", group(0.1)).status()).isEqualTo(201);

    Answer refused = putGroup(sub, "c", group(0.1));

    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.body().get("error");
    assertThat(error.get("code").asString()).isEqualTo("QuotaExceeded");
    assertThat(error.get("details").get(0).get("code").asString())
        .isEqualTo("ContainerGroupQuotaReached");
    assertThat(error.get("message").asString())
        .contains("quota 'ContainerGroups'")
        .contains("Limit: '2'")
        .contains("Usage: '2'")
        .contains("Requested: '1'");
    assertThat(groups(sub)).isEqualTo(2);
    // Replacing an existing group adds no group, so it is admitted at the limit.
    assertThat(putGroup(sub, "a", group(0.2)).status()).isEqualTo(200);
  }

  @Test
  void coresPastTheQuotaAreRefusedOnCreateAndOnAnUpdateThatRaisesThem() throws Exception {
    String sub = unique("sub");
    assertThat(putGroup(sub, "a", group(1.5, 1)).status()).isEqualTo(201);

    Answer refused = putGroup(sub, "b", group(1, 0.75));
    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.body().get("error");
    assertThat(error.get("code").asString()).isEqualTo("QuotaExceeded");
    assertThat(error.get("details").get(0).get("code").asString())
        .isEqualTo("ContainerGroupQuotaReached");
    assertThat(error.get("target").asString()).isEqualTo("properties.containers");
    assertThat(error.get("message").asString())
        .contains("quota 'StandardCores'")
        .contains("Limit: '4'")
        .contains("Usage: '2.5'")
        .contains("Requested: '1.75'");
    assertThat(groups(sub)).isEqualTo(1);

    assertThat(putGroup(sub, "b", group(1.5)).status()).isEqualTo(201);
    // a: 2.5 -> 3 vCPU would make 4.5 with b's 1.5
    Answer raise = putGroup(sub, "a", group(2, 1));
    assertThat(raise.status()).isEqualTo(400);
    assertThat(raise.body().get("error").get("code").asString()).isEqualTo("QuotaExceeded");
    assertThat(
            jdbc.queryForObject(
                "select generation from container_groups where subscription_id = ? and name = 'a'",
                Long.class,
                sub))
        .isEqualTo(1);
    // Lowering the quota below the use refuses raises but not changes that do not add cores.
    assertThat(setQuota(sub, "{\"standardCores\": 1}").status()).isEqualTo(200);
    assertThat(putGroup(sub, "a", group(1, 1)).status()).isEqualTo(200);
    assertThat(usage(usages(sub), "StandardCores").get("currentValue").asInt()).isEqualTo(4);
  }

  @Test
  void concurrentCreatesCannotBothTakeTheLastUnitOfQuota() throws Exception {
    String sub = unique("sub");
    assertThat(setQuota(sub, "{\"containerGroups\": 3}").status()).isEqualTo(200);
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        String name = "g" + i;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return putGroup(sub, name, group(0.1));
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        Answer a = answer.get();
        statuses.add(a.status());
        if (a.status() != 201) {
          assertThat(a.status()).as("%s", a.body()).isEqualTo(400);
          assertThat(a.body().get("error").get("code").asString()).isEqualTo("QuotaExceeded");
        }
      }
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
      assertThat(statuses).filteredOn(s -> s == 400).hasSize(clients - 3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(groups(sub)).isEqualTo(3);

    // The same for cores: 4 vCPU, eight creates of 1.5 vCPU each: two fit.
    String cores = unique("sub");
    List<Future<Answer>> more = new ArrayList<>();
    ExecutorService second = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int i = 0; i < clients; i++) {
        String name = "g" + i;
        more.add(
            second.submit(
                () -> {
                  start.await();
                  return putGroup(cores, name, group(1.5));
                }));
      }
      start.countDown();
      long created = 0;
      for (Future<Answer> answer : more) {
        created += answer.get().status() == 201 ? 1 : 0;
      }
      assertThat(created).isEqualTo(2);
    } finally {
      second.shutdownNow();
    }
    assertThat(groups(cores)).isEqualTo(2);
  }

  @Test
  void theAdminQuotaApiSetsAndClearsOverridesAndRefusesBadInputNamingTheField() throws Exception {
    String sub = unique("sub");
    Answer defaults = call("GET", "/admin/quotas/" + sub, null);
    assertThat(defaults.status()).isEqualTo(200);
    assertThat(defaults.body().get("containerGroups").asInt()).isEqualTo(5);
    assertThat(defaults.body().get("standardCores").asInt()).isEqualTo(4);

    Answer set = setQuota(sub, "{\"containerGroups\": 7, \"standardCores\": 12}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body().get("containerGroups").asInt()).isEqualTo(7);
    assertThat(set.body().get("overrides").get("standardCores").asInt()).isEqualTo(12);
    assertThat(usage(usages(sub), "StandardCores").get("limit").asInt()).isEqualTo(12);

    Answer cleared = setQuota(sub, "{\"standardCores\": 12}");
    assertThat(cleared.body().get("containerGroups").asInt()).isEqualTo(5);
    assertThat(call("GET", "/admin/quotas/" + sub, null).body().get("standardCores").asInt())
        .isEqualTo(12);

    Answer bad = setQuota("Bad_Sub", "{\"containerGroups\": -1, \"standardCores\": 2000000}");
    assertThat(bad.status()).isEqualTo(400);
    List<String> targets = new ArrayList<>();
    bad.body().get("error").get("details").forEach(d -> targets.add(d.get("target").asString()));
    assertThat(targets)
        .containsExactlyInAnyOrder("subscriptionId", "containerGroups", "standardCores");

    Answer notANumber = setQuota(sub, "{\"containerGroups\": \"many\"}");
    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(notANumber.body().get("error").get("target").asString())
        .isEqualTo("containerGroups");
    assertThat(call("GET", "/admin/quotas/" + sub, null).body().get("standardCores").asInt())
        .isEqualTo(12);
    assertThat(setQuota(sub, "").status()).isEqualTo(400);

    String key =
        call("POST", "/admin/keys", "{\"subscriptionId\": \"" + sub + "\"}")
            .body()
            .get("key")
            .asString();
    var asTenant =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/quotas/" + sub))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"containerGroups\": 1000}"))
            .build();
    assertThat(http.send(asTenant, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
  }
}
