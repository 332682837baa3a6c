package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.server.model.ContainerExec;
import dev.berth.api.server.model.ContainerHttpGet;
import dev.berth.api.server.model.ContainerProbe;
import dev.berth.api.server.model.HttpHeader;
import dev.berth.service.containergroup.Probe;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ACI's probe fields: Kubernetes' defaults, and a 400 naming the field for each broken rule. */
class ProbeMappingTest {

  private static final String AT = "properties.containers[0].properties.livenessProbe";

  private static ContainerProbe exec() {
    return new ContainerProbe().exec(new ContainerExec().command(List.of("test", "-f", "/ok")));
  }

  private static ContainerProbe http() {
    return new ContainerProbe().httpGet(new ContainerHttpGet().port(8080));
  }

  @Test
  void numbersLeftOutTakeKubernetesDefaults() {
    List<Violation> violations = new ArrayList<>();
    Probe probe = ProbeMapping.probe(http(), AT, true, violations);

    assertThat(violations).isEmpty();
    assertThat(probe)
        .isEqualTo(
            new Probe(null, new Probe.HttpGet("/", 8080, "http", List.of()), 0, 10, 1, 3, 1));
  }

  @Test
  void everyFieldGivenIsKept() {
    List<Violation> violations = new ArrayList<>();
    ContainerProbe given =
        new ContainerProbe()
            .httpGet(
                new ContainerHttpGet()
                    .path("/healthz")
                    .port(443)
                    .scheme("HTTPS")
                    .httpHeaders(List.of(new HttpHeader().name("X-Probe").value("1"))))
            .initialDelaySeconds(5)
            .periodSeconds(2)
            .timeoutSeconds(3)
            .failureThreshold(4)
            .successThreshold(2);

    Probe probe = ProbeMapping.probe(given, AT, false, violations);

    assertThat(violations).isEmpty();
    assertThat(probe)
        .isEqualTo(
            new Probe(
                null,
                new Probe.HttpGet(
                    "/healthz", 443, "https", List.of(new Probe.Header("X-Probe", "1"))),
                5,
                2,
                3,
                4,
                2));
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        bad("no handler", p -> new ContainerProbe().periodSeconds(5), AT),
        bad("two handlers", p -> exec().httpGet(new ContainerHttpGet().port(80)), AT),
        bad(
            "empty command",
            p -> new ContainerProbe().exec(new ContainerExec()),
            AT + ".exec.command"),
        bad(
            "port 0",
            p -> new ContainerProbe().httpGet(new ContainerHttpGet().port(0)),
            AT + ".httpGet.port"),
        bad(
            "port 65536",
            p -> new ContainerProbe().httpGet(new ContainerHttpGet().port(65536)),
            AT + ".httpGet.port"),
        bad(
            "no port",
            p -> new ContainerProbe().httpGet(new ContainerHttpGet()),
            AT + ".httpGet.port"),
        bad(
            "scheme ftp",
            p -> new ContainerProbe().httpGet(new ContainerHttpGet().port(80).scheme("ftp")),
            AT + ".httpGet.scheme"),
        bad("negative delay", p -> p.initialDelaySeconds(-1), AT + ".initialDelaySeconds"),
        bad("period 0", p -> p.periodSeconds(0), AT + ".periodSeconds"),
        bad("negative period", p -> p.periodSeconds(-5), AT + ".periodSeconds"),
        bad("timeout 0", p -> p.timeoutSeconds(0), AT + ".timeoutSeconds"),
        bad("failureThreshold 0", p -> p.failureThreshold(0), AT + ".failureThreshold"),
        bad("successThreshold 0", p -> p.successThreshold(0), AT + ".successThreshold"),
        bad("liveness successThreshold 2", p -> p.successThreshold(2), AT + ".successThreshold"));
  }

  private static Arguments bad(String rule, UnaryOperator<ContainerProbe> change, String target) {
    return Arguments.of(rule, change, target);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broken")
  void aBrokenRuleIsA400NamingTheField(
      String rule, UnaryOperator<ContainerProbe> change, String target) {
    List<Violation> violations = new ArrayList<>();

    Probe probe = ProbeMapping.probe(change.apply(exec()), AT, true, violations);

    assertThat(probe).isNull();
    assertThat(violations).extracting(Violation::target).containsExactly(target);
    assertThat(violations).extracting(Violation::code).containsOnly("InvalidProbe");
  }

  @Test
  void aReadinessProbeMayAskForSeveralSuccesses() {
    List<Violation> violations = new ArrayList<>();

    Probe probe = ProbeMapping.probe(exec().successThreshold(3), AT, false, violations);

    assertThat(violations).isEmpty();
    assertThat(probe.successThreshold()).isEqualTo(3);
    assertThat(probe.execCommand()).containsExactly("test", "-f", "/ok");
  }
}
