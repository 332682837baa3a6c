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
            .set("hosts[1].id", "engine-2")
            .set("hosts[1].endpoint", "tcp://10.0.0.12:2376")
            .call();

    assertThat(rendered)
        .contains("kind: Deployment", "kind: Service", "kind: Secret", "kind: ConfigMap");
    assertThat(rendered)
        .contains("url: \"jdbc:postgresql://db.internal:5432/berth\"")
        .contains(
            "- id: \"engine-1\"",
            "endpoint: \"tcp://10.0.0.11:2376\"",
            "tls-cert-path: /etc/berth/tls/engine-1")
        .contains("- id: \"engine-2\"", "endpoint: \"tcp://10.0.0.12:2376\"")
        .contains("secretName: engine-1-tls")
        .contains(
            "name: BERTH_ADMIN_KEY", "name: BERTH_SECRET_KEY", "name: SPRING_DATASOURCE_PASSWORD")
        .contains("/actuator/health/readiness")
        .contains("currency: \"USD\"", "bill-image-pull: false", "invoice-grace: \"1d\"");
    // Secrets travel only inside the Secret, base64-encoded; never as plain text elsewhere.
    assertThat(rendered).doesNotContain("admin-secret-value", "db-password");
    assertThat(rendered)
        .contains(Base64.getEncoder().encodeToString("admin-secret-value".getBytes()));
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
