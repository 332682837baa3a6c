package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.RestartPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what the probes found into the group's status and plan. Pure: a finding or verdict about a
 * run other than the container's current running one is dropped, so a late report never touches a
 * restarted container, and a liveness kill is planned from the status (which the pass saves), so a
 * pass repeated after a crash plans it again until the run has ended.
 */
final class ProbeVerdicts {

  private ProbeVerdicts() {}

  /** {@code seen} with the findings as events and the verdicts on readiness and liveness. */
  static GroupStatus apply(GroupStatus seen, ProbeResults.Report report) {
    if (report.findings().isEmpty() && report.verdicts().isEmpty()) {
      return seen;
    }
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerStatus c : seen.containers()) {
      containers.add(apply(c, report));
    }
    return seen.withContainers(containers);
  }

  private static ContainerStatus apply(ContainerStatus c, ProbeResults.Report report) {
    if (c.currentState().state() != ContainerState.Kind.RUNNING) {
      return c;
    }
    java.time.Instant run = c.currentState().startTime();
    List<GroupEvent> events = c.events();
    Boolean ready = c.ready();
    for (ProbeFinding f : report.findings()) {
      if (!f.container().equals(c.name()) || !f.run().equals(run)) {
        continue;
      }
      switch (f.type()) {
        case LIVENESS_CHECK_FAILED, READINESS_CHECK_FAILED ->
            events =
                GroupEvent.append(events, GroupEvent.warning("Unhealthy", f.message(), f.at()));
        case BECAME_READY -> {
          if (!Boolean.TRUE.equals(ready)) {
            events =
                GroupEvent.append(
                    events,
                    GroupEvent.normal(
                        "Ready",
                        "Readiness probe succeeded: container " + c.name() + " is ready",
                        f.at()));
          }
          ready = true;
        }
        case BECAME_UNREADY -> ready = false;
        case LIVENESS_FAILED -> {
          // Recorded through the verdict below, which outlives this report.
        }
      }
    }
    java.time.Instant livenessFailedRun = c.livenessFailedRun();
    ProbeResults.Verdict verdict = report.verdicts().get(c.name());
    if (verdict != null && verdict.run().equals(run)) {
      if (verdict.ready() != null) {
        ready = verdict.ready();
      }
      if (verdict.livenessFailed()) {
        livenessFailedRun = run;
      }
    }
    return c.withEvents(events).withProbeVerdicts(ready, livenessFailedRun);
  }

  /**
   * {@code plan} with a kill first for every running container whose liveness probe failed its
   * current run, unless the plan already stops, restarts or removes it. What follows the kill is
   * the container's restart policy, with its backoff, as for any exit.
   */
  static List<Action> withKills(ContainerGroup group, GroupStatus seen, List<Action> plan) {
    if (group.desiredState() != DesiredState.RUNNING) {
      return plan;
    }
    List<Action> kills = new ArrayList<>();
    for (ContainerStatus c : seen.containers()) {
      boolean condemned =
          c.containerId() != null
              && c.currentState().state() == ContainerState.Kind.RUNNING
              && c.currentState().startTime().equals(c.livenessFailedRun());
      if (condemned && plan.stream().noneMatch(a -> concerns(a, c.containerId()))) {
        String then =
            group.spec().restartPolicy() == RestartPolicy.NEVER
                ? "will not be restarted (restartPolicy Never)"
                : "will be restarted";
        kills.add(
            new Action.KillUnhealthy(
                c.containerId(),
                c.name(),
                "Container " + c.name() + " failed liveness probe, " + then));
      }
    }
    if (kills.isEmpty()) {
      return plan;
    }
    kills.addAll(plan);
    return kills;
  }

  private static boolean concerns(Action action, String containerId) {
    return (action instanceof Action.Stop s && s.containerId().equals(containerId))
        || (action instanceof Action.Restart r && r.containerId().equals(containerId))
        || (action instanceof Action.Remove r2 && r2.containerId().equals(containerId));
  }

  /**
   * The runs the probes must check after a pass: every running container of the current generation
   * that has a probe, except a run its liveness probe already failed (it is being killed).
   */
  static List<ProbeTarget> targets(ContainerGroup group, GroupStatus status) {
    List<ProbeTarget> targets = new ArrayList<>();
    if (group.desiredState() != DesiredState.RUNNING
        || status.observedGeneration() != group.generation()) {
      return targets;
    }
    GroupSpec spec = group.spec();
    for (ContainerDefinition d : spec.containers()) {
      if (!d.hasProbes()) {
        continue;
      }
      Optional<ContainerStatus> found = status.container(d.name());
      if (found.isEmpty()) {
        continue;
      }
      ContainerStatus c = found.get();
      ContainerState now = c.currentState();
      if (c.containerId() == null
          || now.state() != ContainerState.Kind.RUNNING
          || now.startTime() == null
          || now.startTime().equals(c.livenessFailedRun())) {
        continue;
      }
      String holder =
          spec.needsSandbox() ? ContainerNames.of(group.id(), GroupSpec.SANDBOX) : c.containerId();
      targets.add(
          new ProbeTarget(
              d.name(),
              c.containerId(),
              now.startTime(),
              holder,
              d.livenessProbe(),
              d.readinessProbe()));
    }
    return targets;
  }
}
