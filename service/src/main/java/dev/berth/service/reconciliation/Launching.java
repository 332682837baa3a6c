package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ImagePullFailure;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.images.PullFailures;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creating and starting a group's containers for a reconciler pass: a failure is recorded for the
 * status (and the pass goes on), except an unreachable host, which ends the pass.
 */
final class Launching {

  private static final Logger log = Logger.getLogger(Launching.class.getName());

  private final LaunchSpecs specs;
  private final HostPreparation preparation;

  Launching(LaunchSpecs specs, HostPreparation preparation) {
    this.specs = specs;
    this.preparation = preparation;
  }

  Optional<String> launch(
      ContainerRuntime runtime,
      ContainerGroup group,
      ContainerDefinition definition,
      GroupStatus where,
      List<LaunchFailure> failures,
      RaisedEvents raised) {
    return create(
        runtime,
        group,
        specs.of(group, definition, where.ipAddress()),
        definition.name(),
        where.hostId(),
        failures,
        raised,
        false);
  }

  Optional<String> sandbox(
      ContainerRuntime runtime,
      ContainerGroup group,
      GroupStatus where,
      List<LaunchFailure> failures,
      RaisedEvents raised) {
    return create(
        runtime,
        group,
        specs.sandbox(group, where.ipAddress()),
        LaunchSpecs.SANDBOX,
        where.hostId(),
        failures,
        raised,
        false);
  }

  /**
   * @param imageWentMissing the engine already said once in this pass that the image it was told is
   *     there is not: a second time is a failure, not a reason to look again
   */
  private Optional<String> create(
      ContainerRuntime runtime,
      ContainerGroup group,
      dev.berth.runtime.ContainerSpec spec,
      String name,
      String hostId,
      List<LaunchFailure> failures,
      RaisedEvents raised,
      boolean imageWentMissing) {
    try {
      if (!preparation.ensureImage(runtime, hostId, group, spec.image(), name, raised)) {
        // Being pulled: a later pass creates it.
        return Optional.empty();
      }
      String id = runtime.create(spec);
      runtime.start(id);
      return Optional.of(id);
    } catch (ImagePullFailure failure) {
      preparation.imageMissing(hostId, spec.image());
      failures.add(
          LaunchFailure.ofPull(
              name,
              failure,
              PullFailures.describe(
                  failure, spec.image(), HostPreparation.sendsCredential(group, spec.image())),
              LaunchSpecs.SANDBOX.equals(name)
                  ? RestartPolicy.NEVER
                  : restartPolicyOf(group, name)));
      log.log(
          Level.INFO,
          "pull for {0} in group {1} failed: {2}",
          new Object[] {name, group.id(), failure.reason()});
      return Optional.empty();
    } catch (RuntimeFailure failure) {
      if (failure.kind() == RuntimeFailure.Kind.IMAGE_UNAVAILABLE) {
        // The image went from the host since it was seen there (pruned by hand, or collected by
        // another replica): pulled again as any image is, with the group's credentials, off this
        // thread; a later pass creates the container.
        preparation.imageMissing(hostId, spec.image());
        if (!imageWentMissing) {
          return create(runtime, group, spec, name, hostId, failures, raised, true);
        }
      }
      failures.add(LaunchFailure.of(name, failure));
      if (failure.kind() == RuntimeFailure.Kind.HOST_UNREACHABLE) {
        throw failure;
      }
      log.log(
          Level.INFO,
          "launch of {0} in group {1} failed: {2}",
          new Object[] {name, group.id(), failure.getMessage()});
      return Optional.empty();
    }
  }

  /** Init containers are restarted by their own policy (never under Never, else on failure). */
  private static RestartPolicy restartPolicyOf(ContainerGroup group, String name) {
    boolean init = group.spec().initContainers().stream().anyMatch(c -> c.name().equals(name));
    return init ? group.spec().initRestartPolicy() : group.spec().restartPolicy();
  }

  static void start(
      ContainerRuntime runtime,
      String containerId,
      ContainerDefinition definition,
      List<LaunchFailure> failures) {
    try {
      runtime.start(containerId);
    } catch (RuntimeFailure failure) {
      failures.add(LaunchFailure.of(definition.name(), failure));
      if (failure.kind() == RuntimeFailure.Kind.HOST_UNREACHABLE) {
        throw failure;
      }
    }
  }
}
