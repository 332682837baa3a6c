package dev.berth.service.containergroup;

/**
 * Whether a group's containers are ready, as Kubernetes counts it: a container is ready while it
 * runs and, if it has a readiness probe, that probe has passed for its current run. Beyond ACI,
 * which shows nothing.
 */
public final class Readiness {

  private Readiness() {}

  /** Whether the container named in {@code status} is ready. */
  public static boolean ready(GroupSpec spec, ContainerStatus status) {
    if (status.currentState().state() != ContainerState.Kind.RUNNING) {
      return false;
    }
    Probe probe =
        spec.containers().stream()
            .filter(d -> d.name().equals(status.name()))
            .findFirst()
            .map(ContainerDefinition::readinessProbe)
            .orElse(null);
    return probe == null || Boolean.TRUE.equals(status.ready());
  }

  /** How many of the group's containers (not its init containers) are ready. */
  public static int readyContainers(GroupSpec spec, GroupStatus status) {
    return (int) status.containers().stream().filter(c -> ready(spec, c)).count();
  }

  /** Whether the group runs with every container ready. */
  public static boolean allReady(GroupSpec spec, GroupStatus status) {
    return status.state() == GroupState.RUNNING
        && status.containers().size() == spec.containers().size()
        && readyContainers(spec, status) == spec.containers().size();
  }
}
