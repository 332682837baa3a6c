package dev.berth.service.reconciliation;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.RestartPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * A volume that could not be prepared fails the launch of every container of its group, as a failed
 * pull does: for Never the group ends Failed; otherwise each container waits and is tried again.
 */
final class VolumeFailures {

  private VolumeFailures() {}

  static List<LaunchFailure> of(ContainerGroup group, VolumeSourceFailure failure) {
    boolean permanent = group.spec().restartPolicy() == RestartPolicy.NEVER;
    List<LaunchFailure> failures = new ArrayList<>();
    List<ContainerDefinition> all = new ArrayList<>(group.spec().initContainers());
    all.addAll(group.spec().containers());
    for (ContainerDefinition definition : all) {
      failures.add(
          new LaunchFailure(
              definition.name(),
              RuntimeFailure.Kind.INVALID_SPEC,
              failure.getMessage(),
              permanent,
              // A clone that failed is tried again after the restart backoff, not on every pass.
              !permanent));
    }
    return failures;
  }

  /** Actions that create or start a container, which must wait for the group's volumes. */
  static boolean needsVolumes(Action action) {
    return action instanceof Action.Launch
        || action instanceof Action.LaunchSandbox
        || action instanceof Action.Start
        || action instanceof Action.StartSandbox;
  }
}
