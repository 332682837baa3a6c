package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package) scrapes the running Berth at /actuator/prometheus with the
 * admin key, loads the alert rules shipped in helm/berth/files/, and answers PromQL: the series a
 * launch leaves are there, every rule loads and evaluates, and every expression of the Grafana
 * dashboard shipped next to them names only series Berth exports.
 */
class MetricsE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FILES = Path.of("..", "helm", "berth", "files");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Process prometheus;
  private static String prometheusUri;

  @BeforeAll
  static void startPrometheus() throws Exception {
    BerthProcess berth = BerthProcess.get();
    Path dir = Files.createTempDirectory(Path.of("target"), "prometheus-");
    Path config = dir.resolve("prometheus.yml");
    URI target = URI.create(berth.baseUri());
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: berth
            metrics_path: /actuator/prometheus
            authorization:
              credentials: %s
            static_configs:
              - targets: ["%s:%d"]
        """
            .formatted(
                FILES.resolve("berth-alerts.yaml").toAbsolutePath().normalize(),
                berth.adminKey(),
                target.getHost(),
                target.getPort()));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    prometheusUri = "http://127.0.0.1:" + port;
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    await("Prometheus to be ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get(prometheusUri + "/-/ready").statusCode() == 200);
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(uri)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode api(String path) throws Exception {
    JsonNode answer = JSON.readTree(get(prometheusUri + path).body());
    assertThat(answer.path("status").asText()).as(path + ": " + answer).isEqualTo("success");
    return answer.path("data");
  }

  /** The value of a PromQL expression that is expected to give one sample; NaN when none. */
  private static double query(String promql) throws Exception {
    JsonNode result =
        api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
            .path("result");
    return result.size() == 1 ? result.get(0).path("value").get(1).asDouble() : Double.NaN;
  }

  @Test
  void prometheusScrapesTheSeriesALaunchLeaves() throws Exception {
    BerthProcess berth = BerthProcess.get();
    var api = new ContainerGroupsApi(berth.adminClient());
    String sub = Groups.unique("metrics");
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "scraped", API_VERSION, Groups.sleeper("Never"));
      Groups.awaitState(api, sub, "rg", "scraped", "Running");

      await("Prometheus to see the launch")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  query("berth_container_groups{state=\"Running\"}") >= 1
                      && query("sum(berth_launch_duration_seconds_count)") >= 1
                      && query(
                              "sum(berth_docker_call_duration_seconds_count"
                                  + "{host=\"local\",operation=\"create\",outcome=\"ok\"})")
                          >= 1
                      && query("max(berth_host_state{host=\"local\",state=\"Ready\"})") == 1);
      assertThat(query("max(berth_host_cpu_reserved_cores{host=\"local\"})")).isGreaterThan(0);
      assertThat(query("max(berth_host_circuit_breaker_state{host=\"local\",state=\"closed\"})"))
          .isEqualTo(1);

      // The group's own usage, under cAdvisor's names, labelled with where it belongs.
      String labels = "subscription=\"" + sub + "\",resource_group=\"rg\",group=\"scraped\"";
      await("Prometheus to have the group's CPU series")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  query("container_cpu_usage_seconds_total{" + labels + ",container=\"main\"}")
                      > 0);
      assertThat(query("container_memory_working_set_bytes{" + labels + ",container=\"main\"}"))
          .isGreaterThan(0);
      assertThat(query("container_network_receive_bytes_total{" + labels + ",container=\"\"}"))
          .isNotNaN();

      // And over time in the API: a point for each interval with samples.
      var metrics = new dev.berth.sdk.api.MetricsApi(berth.adminClient());
      await("CPU and memory points for the group")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var answer =
                    metrics.containerGroupsMetrics(
                        sub, "rg", "scraped", API_VERSION, "PT5M", "PT1S");
                return answer.getValue().stream()
                    .filter(
                        m ->
                            m.getName().getValue().equals("CpuUsage")
                                || m.getName().getValue().equals("MemoryUsage"))
                    .allMatch(
                        m ->
                            m.getTimeseries().size() == 1
                                && "main".equals(m.getTimeseries().get(0).getContainer())
                                && !m.getTimeseries().get(0).getData().isEmpty());
              });
      var answer =
          metrics.containerGroupsMetrics(sub, "rg", "scraped", API_VERSION, "PT5M", "PT1S");
      assertThat(answer.getValue())
          .extracting(m -> m.getName().getValue())
          .containsExactly(
              "CpuUsage",
              "MemoryUsage",
              "NetworkBytesReceivedPerSecond",
              "NetworkBytesTransmittedPerSecond");
      var memory = answer.getValue().get(1).getTimeseries().get(0).getData();
      assertThat(memory).allSatisfy(p -> assertThat(p.getAverage()).isPositive());
      var cpu = answer.getValue().get(0).getTimeseries().get(0).getData();
      assertThat(cpu).allSatisfy(p -> assertThat(p.getAverage()).isNotNegative());
      // What the group's seconds are billed, by subscription: the metered part of what the usage
      // API shows (which adds what accrued since the meter's last tick).
      String bySubscription = "{subscription=\"" + sub + "\"}";
      await("Prometheus to see the subscription billed")
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  query("berth_billing_billed_seconds_total" + bySubscription) > 0
                      && query(
                              "berth_billing_cost_total{subscription=\""
                                  + sub
                                  + "\",currency=\"USD\"}")
                          > 0);
      assertThat(query("berth_billing_unbilled_seconds_total" + bySubscription)).isZero();
      double billed = query("berth_billing_billed_seconds_total" + bySubscription);
      var usage =
          new dev.berth.sdk.api.BillingApi(berth.adminClient())
              .containerGroupUsage(sub, "rg", "scraped", API_VERSION);
      assertThat(billed).isLessThanOrEqualTo(usage.getRuns().get(0).getBilledSeconds());
      // A timespan past the retention is refused, naming the parameter.
      assertThatThrownBy(
              () -> metrics.containerGroupsMetrics(sub, "rg", "scraped", API_VERSION, "P30D", null))
          .isInstanceOfSatisfying(
              dev.berth.sdk.ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody()).contains("\"target\":\"timespan\"");
              });
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("scraped"));
    }
  }

  @Test
  void everyAlertRuleLoadsAndEvaluates() throws Exception {
    Set<String> names = new TreeSet<>();
    await("the rules to be evaluated")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              names.clear();
              boolean evaluated = true;
              for (JsonNode group : api("/api/v1/rules").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                  names.add(rule.path("name").asText());
                  evaluated &= rule.path("health").asText().equals("ok");
                }
              }
              return evaluated && !names.isEmpty();
            });
    assertThat(names).contains("BerthHostLost", "BerthCrashLoops", "BerthRunCheckMismatches");
    for (String expr : ruleExpressions()) {
      assertThat(exported()).as(expr).containsAll(seriesIn(expr));
    }
  }

  @Test
  void theGrafanaDashboardNamesOnlyExportedSeries() throws Exception {
    // A running group, so that the containers' series are there to be named.
    BerthProcess berth = BerthProcess.get();
    var groups = new ContainerGroupsApi(berth.adminClient());
    String sub = Groups.unique("dashboard");
    try {
      groups.containerGroupsCreateOrUpdate(
          sub, "rg", "charted", API_VERSION, Groups.sleeper("Never"));
      await("the running group's series")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  query("container_network_transmit_bytes_total{subscription=\"" + sub + "\"}") >= 0
                      && query("container_memory_usage_bytes{subscription=\"" + sub + "\"}") > 0
                      && query("berth_billing_cost_total{subscription=\"" + sub + "\"}") > 0);
      dashboardExpressionsNameOnlyExportedSeries();
    } finally {
      Groups.deleteQuietly(groups, sub, "rg", List.of("charted"));
    }
  }

  private void dashboardExpressionsNameOnlyExportedSeries() throws Exception {
    JsonNode dashboard =
        JSON.readTree(Files.readString(FILES.resolve("berth-grafana-dashboard.json")));
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        expressions.add(t.path("expr").asText());
      }
    }
    assertThat(expressions).hasSizeGreaterThan(10);
    Set<String> exported = exported();
    for (String expr : expressions) {
      Set<String> series = seriesIn(expr);
      assertThat(series).as(expr).isNotEmpty();
      assertThat(exported).as(expr).containsAll(series);
      // And Prometheus parses and evaluates it.
      api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }
  }

  /** The names of every series Prometheus has scraped from Berth. */
  private static Set<String> exported() throws Exception {
    await("Berth's series to be scraped")
        .atMost(Duration.ofSeconds(60))
        .until(() -> query("max(berth_reconcile_queue_depth)") >= 0);
    Set<String> names = new TreeSet<>();
    api("/api/v1/label/__name__/values?match[]="
            + URLEncoder.encode("{job=\"berth\"}", StandardCharsets.UTF_8))
        .forEach(n -> names.add(n.asText()));
    return names;
  }

  private static List<String> ruleExpressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^\\s*expr:\\s*(.+)$")
            .matcher(Files.readString(FILES.resolve("berth-alerts.yaml")));
    while (m.find()) {
      expressions.add(m.group(1).trim());
    }
    assertThat(expressions).isNotEmpty();
    return expressions;
  }

  /**
   * The series an expression selects: the metric names in it, label values and strings aside.
   * Berth's own series and Spring Boot's are named with one of these prefixes.
   */
  static Set<String> seriesIn(String expr) {
    String outsideStrings = expr.replaceAll("\"[^\"]*\"", "\"\"");
    Matcher m =
        Pattern.compile("\\b(?:berth|container|http_server|jvm|process|hikaricp)_[a-z0-9_]+\\b")
            .matcher(outsideStrings);
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
