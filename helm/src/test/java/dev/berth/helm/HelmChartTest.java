package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart lints cleanly and renders what an operator needs (Helm bundled by helm-java). */
class HelmChartTest {

  private static final Path CHART = Path.of("berth");

  private static TemplateCommand withRequiredValues() {
    return new Helm(CHART)
        .template()
        .withName("prod")
        .set("adminKey", "admin-secret-value")
        .set("secretKey", Base64.getEncoder().encodeToString(new byte[32]))
        .set("postgresql.url", "jdbc:postgresql://db.internal:5432/berth")
        .set("postgresql.password", "db-password");
  }

  /**
   * Lint renders with values.yaml alone, whose defaults deliberately refuse to render (no database,
   * no keys). So lint a copy of the chart whose values.yaml has those filled in.
   */
  @Test
  void lintsStrictly(@TempDir Path temp) throws IOException {
    Path copy = temp.resolve("berth");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    String values =
        Files.readString(copy.resolve("values.yaml"))
            .replace("adminKey: \"\"", "adminKey: \"a\"")
            .replace("secretKey: \"\"", "secretKey: \"b\"")
            .replace("url: \"\"", "url: \"jdbc:postgresql://db/berth\"");
    Files.writeString(copy.resolve("values.yaml"), values);

    LintResult result = new Helm(copy).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersDeploymentServiceSecretAndConfiguration() {
    String rendered =
        withRequiredValues()
            .set("hosts[0].id", "engine-1")
            .set("hosts[0].endpoint", "tcp://10.0.0.11:2376")
            .set("hosts[0].tlsSecret", "engine-1-tls")
            .set("hosts[0].zone", "1")
            .set("hosts[0].publishAddresses[0]", "10.0.0.11")
            .set("hosts[1].id", "engine-2")
            .set("hosts[1].endpoint", "tcp://10.0.0.12:2376")
            .set("hosts[1].cpuAllocatable", "0.5")
            .call();

    assertThat(rendered)
        .contains("kind: Deployment", "kind: Service", "kind: Secret", "kind: ConfigMap");
    assertThat(rendered)
        .contains("url: \"jdbc:postgresql://db.internal:5432/berth\"")
        .contains(
            hostsConfig(
                "register:",
                "  - id: \"engine-1\"",
                "    endpoint: \"tcp://10.0.0.11:2376\"",
                "    cpu-allocatable: 1",
                "    memory-allocatable: 0.9",
                "    zone: \"1\"",
                "    tls-cert-path: /etc/berth/tls/engine-1",
                "    publish-addresses:",
                "      - \"10.0.0.11\"",
                "  - id: \"engine-2\"",
                "    endpoint: \"tcp://10.0.0.12:2376\"",
                "    cpu-allocatable: 0.5"))
        .contains(
            hostsConfig(
                "ping-interval: \"2s\"",
                "lost-after: \"30s\"",
                "reschedule-never: false",
                "lease-duration: \"15s\"",
                "lease-renew-interval: \"2s\""))
        // The TLS files are the Secret's, mounted where tls-cert-path points.
        .contains("secretName: engine-1-tls", "mountPath: /etc/berth/tls/engine-1")
        .contains(
            "name: BERTH_ADMIN_KEY", "name: BERTH_SECRET_KEY", "name: SPRING_DATASOURCE_PASSWORD")
        .contains("/actuator/health/readiness", "/actuator/health/liveness")
        .contains("image: \"berth/berth:" + System.getProperty("berth.version") + "\"")
        .contains("imagePullPolicy: IfNotPresent")
        .contains("currency: \"USD\"", "bill-image-pull: false", "invoice-grace: \"1d\"");
    // Secrets travel only inside the Secret, base64-encoded; never as plain text elsewhere.
    assertThat(rendered).doesNotContain("admin-secret-value", "db-password");
    assertThat(rendered)
        .contains(Base64.getEncoder().encodeToString("admin-secret-value".getBytes()));
  }

  /** The configuration's lines under {@code berth.hosts}, as they are indented there. */
  private static String hostsConfig(String... lines) {
    return Stream.of(lines).map(line -> "        " + line).collect(Collectors.joining("\n"));
  }

  @Test
  void oneReplicaHasNoDisruptionBudget() {
    assertThat(withRequiredValues().call()).doesNotContain("PodDisruptionBudget");
  }

  @Test
  void severalReplicasShareOneDatabaseAndKeepOneServingThroughADrain() {
    String rendered =
        withRequiredValues()
            .set("replicaCount", "2")
            .set("hosts[0].id", "engine-1")
            .set("hosts[0].endpoint", "tcp://10.0.0.11:2376")
            .call();

    assertThat(rendered)
        .contains("replicas: 2")
        .contains("kind: PodDisruptionBudget", "apiVersion: policy/v1", "minAvailable: 1")
        .doesNotContain("maxUnavailable", "type: Recreate", "hostPath");
  }

  @Test
  void theDisruptionBudgetCanBoundUnavailableReplicasInstead() {
    String rendered =
        withRequiredValues()
            .set("replicaCount", "3")
            .set("podDisruptionBudget.minAvailable", "")
            .set("podDisruptionBudget.maxUnavailable", "1")
            .set("hosts[0].id", "engine-1")
            .set("hosts[0].endpoint", "tcp://10.0.0.11:2376")
            .call();

    assertThat(rendered).contains("maxUnavailable: 1").doesNotContain("minAvailable");
  }

  @Test
  void severalReplicasRefuseEmbeddedPostgres() {
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("x")
                    .set("adminKey", "a")
                    .set("secretKey", "b")
                    .set("replicaCount", "2")
                    .set("postgresql.embedded", "true")
                    .set("hosts[0].id", "engine-1")
                    .set("hosts[0].endpoint", "tcp://10.0.0.11:2376")
                    .call())
        .hasMessageContaining("replicaCount > 1 needs an external PostgreSQL");
  }

  @Test
  void severalReplicasRefuseANodeLocalSocket() {
    assertThatThrownBy(() -> withRequiredValues().set("replicaCount", "2").call())
        .hasMessageContaining("host local: replicaCount > 1 needs tcp:// endpoints");
  }

  /** One replica may try the chart out without a database server. */
  @Test
  void oneReplicaMayEmbedPostgres() {
    String rendered =
        new Helm(CHART)
            .template()
            .withName("try")
            .set("adminKey", "a")
            .set("secretKey", "b")
            .set("postgresql.embedded", "true")
            .set("hostSocketGroup", "998")
            .call();

    assertThat(rendered)
        .doesNotContain("datasource", "PodDisruptionBudget")
        .contains("type: Recreate")
        // The default host is the node's engine: its socket is mounted, its group added.
        .contains("path: /var/run/docker.sock", "type: Socket", "mountPath: /var/run/docker.sock")
        .contains("supplementalGroups: [998]")
        .contains("runAsUser: 10001");
  }

  @Test
  void theChartDeploysTheVersionTheBuildMakes() throws IOException {
    assertThat(Files.readString(CHART.resolve("Chart.yaml")))
        .contains("appVersion: \"" + System.getProperty("berth.version") + "\"");
  }

  @Test
  void anExistingSecretReplacesTheRenderedOne() {
    String rendered =
        new Helm(CHART)
            .template()
            .withName("prod")
            .set("existingAdminKeySecret", "ops-admin")
            .set("existingSecretKeySecret", "ops-crypto")
            .set("postgresql.url", "jdbc:postgresql://db/berth")
            .set("postgresql.existingSecret", "ops-db")
            .call();
    assertThat(rendered)
        .doesNotContain("kind: Secret")
        .contains("name: ops-admin", "name: ops-crypto", "name: ops-db");
  }

  @Test
  void refusesToRenderWithoutADatabase() {
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("x")
                    .set("adminKey", "a")
                    .set("secretKey", "b")
                    .call())
        .hasMessageContaining("postgresql.url is required");
  }

  @Test
  void refusesToRenderWithoutAnAdminKey() {
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("x")
                    .set("secretKey", "b")
                    .set("postgresql.url", "jdbc:postgresql://db/berth")
                    .call())
        .hasMessageContaining("adminKey");
  }
}
