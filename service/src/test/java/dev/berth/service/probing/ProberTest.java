package dev.berth.service.probing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.service.containergroup.Probe;
import dev.berth.service.reconciliation.ProbeFinding;
import dev.berth.service.reconciliation.ProbeResults;
import dev.berth.service.reconciliation.ProbeTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The prober on its real lanes: hard timeouts, host ownership, and what it hands over. */
class ProberTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<ProbeResults.Report> taken = Collections.synchronizedList(new ArrayList<>());
  private final ProbeLanes lanes = new ProbeLanes(Duration.ofMillis(20), 2, 8);
  private final AtomicReference<String> answer = new AtomicReference<>();
  private final AtomicInteger checks = new AtomicInteger();
  private final List<UUID> woken = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void release() {
    release.countDown();
    lanes.close();
  }

  private static ProbeTarget target(Probe liveness, Probe readiness) {
    return new ProbeTarget("main", "c1", Instant.now(), "c1", liveness, readiness);
  }

  private static Probe liveness(int timeout, int failures) {
    return new Probe(List.of("true"), null, 0, 1, timeout, failures, 1);
  }

  @Test
  void aCheckThatHangsPastItsTimeoutHasFailed() {
    Prober prober =
        new Prober(
            (host, target, probe) -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return null;
            },
            Clock.systemUTC(),
            host -> true,
            woken::add,
            lanes);
    UUID group = UUID.randomUUID();
    prober.track(group, "h1", List.of(target(liveness(1, 1), null)));

    await().until(() -> !woken.isEmpty());
    ProbeResults.Report report = prober.take(group);

    assertThat(report.findings())
        .extracting(ProbeFinding::type)
        .containsExactly(
            ProbeFinding.Type.LIVENESS_CHECK_FAILED, ProbeFinding.Type.LIVENESS_FAILED);
    assertThat(report.findings().get(0).message())
        .isEqualTo("Liveness probe failed: timed out after 1 s");
    assertThat(report.verdicts().get("main").livenessFailed()).isTrue();
    // Level: the verdict is handed over again, the findings are not.
    ProbeResults.Report again = prober.take(group);
    assertThat(again.findings()).isEmpty();
    assertThat(again.verdicts().get("main").livenessFailed()).isTrue();
  }

  @Test
  void aHostThisReplicaDoesNotOwnIsNotProbedAndItsGroupsAreForgotten() {
    Prober prober =
        new Prober(
            (host, target, probe) -> {
              checks.incrementAndGet();
              return "down";
            },
            Clock.systemUTC(),
            host -> false,
            woken::add,
            lanes);
    UUID group = UUID.randomUUID();
    prober.track(group, "h1", List.of(target(liveness(1, 3), null)));

    await().until(() -> prober.trackedRuns() == 0);
    assertThat(checks).hasValue(0);
    assertThat(prober.take(group)).isEqualTo(ProbeResults.Report.EMPTY);
  }

  @Test
  void aRunTrackedAgainKeepsItsCountsAndANewRunStartsAfresh() {
    answer.set("boom");
    Prober prober =
        new Prober(
            (host, target, probe) -> {
              checks.incrementAndGet();
              return answer.get();
            },
            Clock.systemUTC(),
            host -> true,
            woken::add,
            lanes);
    UUID group = UUID.randomUUID();
    ProbeTarget first = target(null, new Probe(List.of("true"), null, 0, 1, 1, 1, 1));
    prober.track(group, "h1", List.of(first));
    await().until(() -> prober.take(group).verdicts().get("main").ready() != null);
    assertThat(prober.take(group).verdicts().get("main").ready()).isFalse();

    prober.track(group, "h1", List.of(first));
    assertThat(prober.take(group).verdicts().get("main").ready()).isFalse();
    ProbeTarget second =
        new ProbeTarget("main", "c1", first.run().plusSeconds(30), "c1", null, first.readiness());
    prober.track(group, "h1", List.of(second));
    ProbeResults.Verdict fresh = prober.take(group).verdicts().get("main");
    assertThat(fresh.run()).isEqualTo(second.run());
    assertThat(fresh.ready()).as("its first check is not due yet").isNull();

    prober.track(group, "h1", List.of());
    assertThat(prober.trackedRuns()).isZero();
  }
}
