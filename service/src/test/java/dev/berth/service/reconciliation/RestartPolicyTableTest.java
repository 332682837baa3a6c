package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every restart policy x every kind of observation: the state the group reaches and what the plan
 * does.
 */
class RestartPolicyTableTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:09Z");

  private final StatusObserver observer = new StatusObserver(RestartBackoff.kubernetesDefaults());
  private final GroupPlanner planner = new GroupPlanner();

  @ParameterizedTest(
      name = "{0} + {1} exit {2} -> container {3} {4}, group {5}, plan {6}, release {7}")
  @CsvSource({
    // policy,   engine,  exit, container,  detail,           group,     plan now, releases, plan
    // after backoff
    "ALWAYS,     RUNNING,   ,   RUNNING,    ,                 RUNNING,   NONE,     false,    NONE",
    "ALWAYS,     EXITED,    0,  WAITING,    CrashLoopBackOff, RUNNING,   NONE,     false,    START",
    "ALWAYS,     EXITED,    1,  WAITING,    CrashLoopBackOff, RUNNING,   NONE,     false,    START",
    "ON_FAILURE, RUNNING,   ,   RUNNING,    ,                 RUNNING,   NONE,     false,    NONE",
    "ON_FAILURE, EXITED,    0,  TERMINATED, Completed,        SUCCEEDED, NONE,     true,     NONE",
    "ON_FAILURE, EXITED,    1,  WAITING,    CrashLoopBackOff, RUNNING,   NONE,     false,    START",
    "NEVER,      RUNNING,   ,   RUNNING,    ,                 RUNNING,   NONE,     false,    NONE",
    "NEVER,      EXITED,    0,  TERMINATED, Completed,        SUCCEEDED, NONE,     true,     NONE",
    "NEVER,      EXITED,    1,  TERMINATED, Error,            FAILED,    NONE,     true,     NONE",
    "ALWAYS,     CREATED,   ,   WAITING,    ,                 PENDING,   START,    false,    START",
    "NEVER,      ABSENT,    ,   WAITING,    ,                 PENDING,   LAUNCH,   false,    LAUNCH",
  })
  void table(
      RestartPolicy policy,
      String engineStatus,
      Integer exitCode,
      ContainerState.Kind containerState,
      String detail,
      GroupState groupState,
      String planNow,
      boolean releases,
      String planAfterBackoff) {
    ContainerGroup group = group(policy);
    GroupStatus before =
        GroupStatus.accepted(group, new dev.berth.service.scheduling.Placement("h1", null), T0);
    List<ContainerObservation> observed =
        engineStatus.equals("ABSENT")
            ? List.of()
            : List.of(observation(group, ContainerStatus.valueOf(engineStatus), exitCode));

    GroupStatus now = observer.observe(group, before, observed, List.of(), T1);

    var main = now.container("main").orElseThrow();
    assertThat(main.currentState().state()).isEqualTo(containerState);
    assertThat(main.currentState().detailStatus()).isEqualTo(detail);
    assertThat(now.state()).isEqualTo(groupState);
    assertPlan(planner.plan(group, before, now, observed, T1), planNow);
    assertThat(!GroupPlanner.holdsCapacity(now)).isEqualTo(releases);
    // The backoff is fixed from the engine's finish time: 10 s later the restart is due.
    assertPlan(planner.plan(group, before, now, observed, T1.plusSeconds(10)), planAfterBackoff);
    // Level-triggered: the same observation again changes nothing and asks for the same hold.
    GroupStatus again = observer.observe(group, now, observed, List.of(), T1.plusSeconds(1));
    assertThat(again.containers()).isEqualTo(now.containers());
    assertThat(GroupPlanner.holdsCapacity(again)).isEqualTo(GroupPlanner.holdsCapacity(now));
  }

  private static void assertPlan(List<Action> actions, String plan) {
    switch (plan) {
      case "NONE" -> assertThat(actions).isEmpty();
      case "START" -> assertThat(actions).singleElement().isInstanceOf(Action.Start.class);
      case "LAUNCH" -> assertThat(actions).singleElement().isInstanceOf(Action.Launch.class);
      default -> throw new IllegalArgumentException(plan);
    }
  }

  private static ContainerGroup group(RestartPolicy policy) {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
            "main", "berth/busybox:1", List.of("sleep", "1"), List.of(), size, size);
    return new ContainerGroup(
        UUID.fromString("00000000-0000-0000-0000-000000000001"),
        new GroupKey("s", "rg", "g"),
        "local",
        Map.of(),
        new GroupSpec(List.of(main), policy, "Linux"),
        1,
        DesiredState.RUNNING,
        "{}",
        T0,
        0);
  }

  private static ContainerObservation observation(
      ContainerGroup group, ContainerStatus status, Integer exitCode) {
    Map<String, String> labels =
        Map.of(
            Labels.MANAGED,
            "true",
            Labels.GROUP_ID,
            group.id().toString(),
            Labels.CONTAINER,
            "main",
            Labels.GENERATION,
            "1");
    Instant started = status == ContainerStatus.CREATED ? null : T0;
    Instant finished = status == ContainerStatus.EXITED ? T1 : null;
    return new ContainerObservation(
        "c1",
        ContainerNames.of(group.id(), "main"),
        labels,
        status,
        status == ContainerStatus.EXITED ? exitCode : null,
        started,
        finished,
        false,
        null,
        new ContainerResources(500_000_000L, 512L << 20));
  }
}
