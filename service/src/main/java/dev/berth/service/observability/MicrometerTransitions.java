package dev.berth.service.observability;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.reconciliation.StatusObserver;
import dev.berth.service.reconciliation.StatusTransitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What committed statuses say, as series:
 *
 * <ul>
 *   <li>{@code berth_launch_duration_seconds}: from a group's PUT (its creation) to its first
 *       Running, for groups that were never moved, updated or restarted in between (those have no
 *       PUT to measure from);
 *   <li>{@code berth_container_restarts_total{reason}}: each restart of a container, by why its
 *       last run ended: {@code oom_killed}, {@code liveness_probe}, {@code exit_nonzero}, {@code
 *       exit_zero} or {@code other} (a bounded set, whatever the engine wrote);
 *   <li>{@code berth_group_transitions_total{to}}: each change of a group's state.
 * </ul>
 */
public final class MicrometerTransitions implements StatusTransitions {

  private static final List<String> REASONS =
      List.of("oom_killed", "liveness_probe", "exit_nonzero", "exit_zero", "other");

  private final Clock clock;
  private final Timer launches;
  private final Meter.MeterProvider<Counter> restarts;
  private final Meter.MeterProvider<Counter> transitions;

  public MicrometerTransitions(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.launches =
        Timer.builder("berth.launch.duration")
            .description("From a group's creation to its first Running")
            .serviceLevelObjectives(LatencyBuckets.SECONDS)
            .register(registry);
    this.restarts =
        Counter.builder("berth.container.restarts")
            .description("Container restarts, by why the last run ended")
            .withRegistry(registry);
    this.transitions =
        Counter.builder("berth.group.transitions")
            .description("Changes of a group's state, by the state it went to")
            .withRegistry(registry);
    // Every label value at zero from the start, so a rate() over them is defined before the first
    // restart (Prometheus' advice for counters with known labels).
    for (String reason : REASONS) {
      restarts.withTags("reason", reason);
    }
    for (GroupState state : GroupState.values()) {
      transitions.withTags("to", state.aciName());
    }
  }

  @Override
  public void committed(ContainerGroup group, GroupStatus before, GroupStatus after) {
    if (before.state() != after.state()) {
      transitions.withTags("to", after.state().aciName()).increment();
      if (isFirstLaunch(group, before, after)) {
        launches.record(Duration.between(group.createdAt(), clock.instant()));
      }
    }
    Map<String, Integer> restartsBefore = new HashMap<>();
    for (ContainerStatus c : before.containers()) {
      restartsBefore.put(c.name(), c.restartCount());
    }
    for (ContainerStatus c : after.containers()) {
      int more = c.restartCount() - restartsBefore.getOrDefault(c.name(), c.restartCount());
      if (more > 0) {
        restarts.withTags("reason", reason(c)).increment(more);
      }
    }
  }

  private static boolean isFirstLaunch(
      ContainerGroup group, GroupStatus before, GroupStatus after) {
    return before.state() == GroupState.PENDING
        && after.state() == GroupState.RUNNING
        && group.generation() == 1
        && group.restartEpoch() == 0
        && after.containers().stream().allMatch(c -> c.restartCount() == 0)
        && scheduled(after.events()) <= 1;
  }

  /** How many times the group was placed: more than once means it was moved. */
  private static int scheduled(List<GroupEvent> events) {
    return events.stream()
        .filter(e -> e.name().equals("Scheduled"))
        .mapToInt(GroupEvent::count)
        .sum();
  }

  private static String reason(ContainerStatus c) {
    ContainerState last = c.previousState();
    if (last == null || last.state() != ContainerState.Kind.TERMINATED) {
      return "other";
    }
    if (StatusObserver.LIVENESS_FAILED.equals(last.detailStatus())) {
      return "liveness_probe";
    }
    if (last.detailStatus() != null && last.detailStatus().contains("OOMKilled")) {
      return "oom_killed";
    }
    if (last.exitCode() == null) {
      return "other";
    }
    return last.exitCode() == 0 ? "exit_zero" : "exit_nonzero";
  }
}
