package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.Isolation;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.Probe;
import dev.berth.service.containergroup.Readiness;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.probing.ProbeChecks;
import dev.berth.service.probing.ProbeLanes;
import dev.berth.service.probing.Prober;
import dev.berth.service.workload.KeepingRunLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness probes through whole reconciler passes, on the fake runtime with a clock
 * advanced by hand: the probes' checks are scripted, their lane ticks when the test says and runs
 * each check at once.
 */
class ProbeScenarioTest extends ReconcilerScenarios {

  /** What the next checks answer, by "container/liveness" or "container/readiness": null passes. */
  private final Map<String, String> answers = new HashMap<>();

  private final List<Instant> checkedAt = new ArrayList<>();
  private final List<UUID> woken = new ArrayList<>();
  private final Map<String, Runnable> ticks = new HashMap<>();

  private final ProbeChecks checks =
      (host, target, probe) -> {
        checkedAt.add(clock.instant());
        String kind = probe == target.liveness() ? "liveness" : "readiness";
        return answers.get(target.container() + "/" + kind);
      };

  private final ProbeLanes lanes =
      new ProbeLanes(Duration.ofSeconds(1), 1, 1) {
        @Override
        protected void ensure(String hostId, Runnable onTick) {
          ticks.putIfAbsent(hostId, onTick);
        }

        @Override
        protected Executor workers(String hostId) {
          return Runnable::run;
        }
      };

  private final Prober prober = new Prober(checks, clock, host -> true, woken::add, lanes);

  private final Reconciler probed =
      new Reconciler(
          stores,
          stores,
          this::engine,
          new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION),
          stores,
          clock,
          RestartBackoff.kubernetesDefaults(),
          Duration.ofSeconds(10),
          new KeepingRunLogs(stores, 1 << 20),
          metering,
          fleet,
          new MovingGroups(stores, placing, stores, stores, fleet, metering, clock, false, moves),
          GitCheckouts.NONE,
          ShareDirectories.NONE,
          prober,
          new dev.berth.service.images.ImagePulls(
              Runnable::run,
              clock,
              Duration.ofMinutes(5),
              dev.berth.service.images.PullPolicy.IF_NOT_PRESENT));

  private static Probe exec(int initialDelay, int period, int failures, int successes) {
    return new Probe(
        List.of("test", "-f", "/tmp/ok"), null, initialDelay, period, 1, failures, successes);
  }

  private ContainerGroup createProbed(RestartPolicy policy, Probe liveness, Probe readiness) {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
                "main", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size)
            .withProbes(liveness, readiness);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", "probed"),
                "local",
                Map.of(),
                new GroupSpec(List.of(main), policy, "Linux"),
                "{}"))
        .group();
  }

  /** Advances the clock and lets the host's probe lane look for due checks. */
  private void tickAfter(Duration by) {
    clock.advance(by);
    ticks.values().forEach(Runnable::run);
  }

  private List<String> eventNames(ContainerGroup g) {
    return main(g).events().stream().map(GroupEvent::name).toList();
  }

  private GroupEvent event(ContainerGroup g, String name) {
    return main(g).events().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void checksStartAfterTheInitialDelayAndComeEveryPeriod() {
    var group = createProbed(RestartPolicy.ALWAYS, exec(5, 10, 3, 1), null);
    Instant started = clock.instant();
    probed.reconcile(group.id());

    tickAfter(Duration.ZERO);
    tickAfter(Duration.ofSeconds(4));
    assertThat(checkedAt).isEmpty();
    tickAfter(Duration.ofSeconds(1));
    tickAfter(Duration.ofSeconds(9));
    tickAfter(Duration.ofSeconds(1));

    assertThat(checkedAt).containsExactly(started.plusSeconds(5), started.plusSeconds(15));
    // Passing checks change nothing and wake nobody.
    assertThat(woken).isEmpty();
  }

  @Test
  void livenessFailuresBelowTheThresholdOnlyRaiseUnhealthyAndASuccessResetsTheCount() {
    var group = createProbed(RestartPolicy.ALWAYS, exec(0, 10, 3, 1), null);
    probed.reconcile(group.id());
    answers.put("main/liveness", "command exited with code 1");

    tickAfter(Duration.ZERO);
    tickAfter(Duration.ofSeconds(10));
    answers.remove("main/liveness");
    tickAfter(Duration.ofSeconds(10));
    answers.put("main/liveness", "command exited with code 1");
    tickAfter(Duration.ofSeconds(10));
    tickAfter(Duration.ofSeconds(10));
    probed.reconcile(group.id());

    assertThat(woken).containsOnly(group.id()).hasSize(4);
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main(group).restartCount()).isZero();
    assertThat(eventNames(group)).containsExactly("Created", "Started", "Unhealthy");
    GroupEvent unhealthy = event(group, "Unhealthy");
    assertThat(unhealthy.count()).isEqualTo(4);
    assertThat(unhealthy.type()).isEqualTo(GroupEvent.Type.WARNING);
    assertThat(unhealthy.message()).isEqualTo("Liveness probe failed: command exited with code 1");
  }

  @Test
  void aFailedLivenessProbeKillsTheContainerWhichRestartsInPlaceWithBackoff() {
    var group = createProbed(RestartPolicy.ALWAYS, exec(0, 10, 3, 1), null);
    probed.reconcile(group.id());
    String containerId = main(group).containerId();
    answers.put("main/liveness", "HTTP probe failed with statuscode: 404");

    tickAfter(Duration.ZERO);
    tickAfter(Duration.ofSeconds(10));
    tickAfter(Duration.ofSeconds(10));
    Instant killedAt = clock.instant();
    probed.reconcile(group.id());

    var killed = main(group);
    assertThat(killed.currentState().detailStatus()).isEqualTo("CrashLoopBackOff");
    assertThat(killed.previousState().state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(killed.previousState().detailStatus()).isEqualTo("LivenessProbeFailed");
    assertThat(killed.previousState().exitCode()).isEqualTo(143);
    assertThat(killed.restartAt()).isEqualTo(killedAt.plusSeconds(10));
    assertThat(eventNames(group))
        .containsExactly("Created", "Started", "Unhealthy", "Killing", "BackOff");
    assertThat(event(group, "Unhealthy").count()).isEqualTo(3);
    assertThat(event(group, "Killing").message())
        .isEqualTo("Container main failed liveness probe, will be restarted");
    // The killed run is checked no more; a pass again does not kill twice.
    tickAfter(Duration.ofSeconds(5));
    probed.reconcile(group.id());
    assertThat(eventNames(group))
        .containsExactly("Created", "Started", "Unhealthy", "Killing", "BackOff");

    answers.clear();
    clock.advance(Duration.ofSeconds(5));
    probed.reconcile(group.id());
    var restarted = main(group);
    assertThat(restarted.containerId()).isEqualTo(containerId);
    assertThat(restarted.restartCount()).isEqualTo(1);
    assertThat(restarted.currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(restarted.livenessFailedRun()).isNull();
    assertThat(eventNames(group))
        .containsExactly("Created", "Started", "Unhealthy", "Killing", "BackOff", "Started");

    // The new run is checked afresh; failing it again backs off twice as long.
    answers.put("main/liveness", "HTTP probe failed with statuscode: 404");
    tickAfter(Duration.ZERO);
    tickAfter(Duration.ofSeconds(10));
    tickAfter(Duration.ofSeconds(10));
    Instant killedAgainAt = clock.instant();
    probed.reconcile(group.id());
    assertThat(main(group).restartAt()).isEqualTo(killedAgainAt.plusSeconds(20));
    assertThat(main(group).previousState().detailStatus()).isEqualTo("LivenessProbeFailed");
  }

  @Test
  void anOnFailureContainerKilledForLivenessIsRestartedEvenWhenItExitsZeroOnSigterm() {
    var group = createProbed(RestartPolicy.ON_FAILURE, exec(0, 10, 1, 1), null);
    probed.reconcile(group.id());
    String containerId = main(group).containerId();
    runtime.exitsOnStopWith(containerId, 0);
    answers.put("main/liveness", "command exited with code 2");

    tickAfter(Duration.ZERO);
    Instant killedAt = clock.instant();
    probed.reconcile(group.id());

    var killed = main(group);
    assertThat(killed.previousState().exitCode()).isZero();
    assertThat(killed.previousState().detailStatus()).isEqualTo("LivenessProbeFailed");
    assertThat(killed.restartAt()).isEqualTo(killedAt.plusSeconds(10));
    assertThat(status(group).state()).isNotEqualTo(GroupState.SUCCEEDED);

    answers.clear();
    clock.advance(Duration.ofSeconds(10));
    probed.reconcile(group.id());
    assertThat(main(group).restartCount()).isEqualTo(1);
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
  }

  @Test
  void aNeverGroupsContainerFailingLivenessIsStoppedNotRestarted() {
    var group = createProbed(RestartPolicy.NEVER, exec(0, 10, 1, 1), null);
    probed.reconcile(group.id());
    answers.put("main/liveness", "command exited with code 2");

    tickAfter(Duration.ZERO);
    probed.reconcile(group.id());
    clock.advance(Duration.ofMinutes(5));
    probed.reconcile(group.id());

    var main = main(group);
    assertThat(main.currentState().state()).isEqualTo(ContainerState.Kind.TERMINATED);
    assertThat(main.currentState().detailStatus()).isEqualTo("LivenessProbeFailed");
    assertThat(main.restartCount()).isZero();
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(eventNames(group)).containsExactly("Created", "Started", "Unhealthy", "Killing");
    assertThat(event(group, "Killing").message())
        .isEqualTo(
            "Container main failed liveness probe, will not be restarted (restartPolicy Never)");
  }

  @Test
  void readinessTogglesWithItsThresholdsAndTheContainerKeepsRunning() {
    var group = createProbed(RestartPolicy.ALWAYS, null, exec(0, 1, 2, 2));
    probed.reconcile(group.id());
    assertThat(ready(group)).isFalse();

    tickAfter(Duration.ZERO);
    assertThat(woken).isEmpty();
    tickAfter(Duration.ofSeconds(1));
    probed.reconcile(group.id());
    assertThat(ready(group)).isTrue();
    assertThat(Readiness.allReady(group.spec(), status(group))).isTrue();

    answers.put("main/readiness", "command exited with code 1");
    tickAfter(Duration.ofSeconds(1));
    probed.reconcile(group.id());
    assertThat(ready(group)).as("one failure is below the threshold").isTrue();
    tickAfter(Duration.ofSeconds(1));
    probed.reconcile(group.id());
    assertThat(ready(group)).isFalse();
    assertThat(Readiness.readyContainers(group.spec(), status(group))).isZero();

    answers.clear();
    tickAfter(Duration.ofSeconds(1));
    tickAfter(Duration.ofSeconds(1));
    probed.reconcile(group.id());

    assertThat(ready(group)).isTrue();
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main(group).restartCount()).isZero();
    assertThat(eventNames(group))
        .containsExactly("Created", "Started", "Ready", "Unhealthy", "Ready");
    assertThat(event(group, "Unhealthy").count()).isEqualTo(2);
    assertThat(event(group, "Unhealthy").message())
        .isEqualTo("Readiness probe failed: command exited with code 1");
    assertThat(event(group, "Ready").message())
        .isEqualTo("Readiness probe succeeded: container main is ready");
  }

  @Test
  void aContainerStartedAgainIsNotReadyUntilItsProbePassesAgain() {
    var group = createProbed(RestartPolicy.ALWAYS, null, exec(0, 1, 1, 1));
    probed.reconcile(group.id());
    tickAfter(Duration.ZERO);
    probed.reconcile(group.id());
    assertThat(ready(group)).isTrue();

    runtime.exit(main(group).containerId(), 1, false);
    probed.reconcile(group.id());
    assertThat(ready(group)).isFalse();
    clock.advance(Duration.ofSeconds(10));
    probed.reconcile(group.id());

    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);
    assertThat(main(group).ready()).isNull();
    assertThat(ready(group)).isFalse();
    tickAfter(Duration.ZERO);
    probed.reconcile(group.id());
    assertThat(ready(group)).isTrue();
  }

  @Test
  void aReportAboutAnEarlierRunIsDropped() {
    var group = createProbed(RestartPolicy.ALWAYS, null, exec(0, 1, 1, 1));
    probed.reconcile(group.id());
    Instant firstRun = main(group).currentState().startTime();
    runtime.exit(main(group).containerId(), 1, false);
    clock.advance(Duration.ofSeconds(10));
    probed.reconcile(group.id());
    probed.reconcile(group.id());

    var late =
        new ProbeResults.Report(
            List.of(
                new ProbeFinding(
                    "main",
                    firstRun,
                    ProbeFinding.Type.READINESS_CHECK_FAILED,
                    clock.instant(),
                    "late")),
            Map.of("main", new ProbeResults.Verdict(firstRun, true, true)));
    var applied = ProbeVerdicts.apply(status(group), late);

    assertThat(applied).isEqualTo(status(group));
    assertThat(ProbeVerdicts.withKills(group, applied, List.of())).isEmpty();
  }

  @Test
  void inAGroupOfSeveralContainersHttpProbesGoToTheSandboxsAddressAndExecToTheContainer() {
    var size = new Resources(250, 256);
    Probe http = new Probe(null, new Probe.HttpGet("/", 8080, "http", List.of()), 0, 1, 1, 1, 1);
    var web =
        new ContainerDefinition(
                "web", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size)
            .withProbes(http, null);
    var sidecar =
        new ContainerDefinition(
                "sidecar", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size)
            .withProbes(null, exec(0, 1, 1, 1));
    var plain =
        new ContainerDefinition(
            "plain", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size);
    var group =
        creating
            .createOrReplace(
                new CreatingContainerGroup.Request(
                    new GroupKey("sub", "rg", "pod"),
                    "local",
                    Map.of(),
                    new GroupSpec(List.of(web, sidecar, plain), RestartPolicy.ALWAYS, "Linux"),
                    "{}"))
            .group();
    probed.reconcile(group.id());

    List<ProbeTarget> targets = ProbeVerdicts.targets(group, status(group));

    String sandbox = ContainerNames.of(group.id(), GroupSpec.SANDBOX);
    assertThat(targets).extracting(ProbeTarget::container).containsExactly("web", "sidecar");
    assertThat(targets).extracting(ProbeTarget::networkHolder).containsOnly(sandbox);
    assertThat(targets.get(0).containerId())
        .isEqualTo(status(group).container("web").orElseThrow().containerId());
    assertThat(prober.trackedRuns()).isEqualTo(2);
    // Only the container with a readiness probe waits for it; the others are ready as they run.
    assertThat(Readiness.readyContainers(group.spec(), status(group))).isEqualTo(2);
    tickAfter(Duration.ZERO);
    probed.reconcile(group.id());
    assertThat(Readiness.readyContainers(group.spec(), status(group))).isEqualTo(3);
    assertThat(Readiness.allReady(group.spec(), status(group))).isTrue();
  }

  private boolean ready(ContainerGroup group) {
    return Readiness.ready(group.spec(), main(group));
  }
}
