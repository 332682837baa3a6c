package dev.berth.service.reconciliation;

import dev.berth.runtime.ImagePullFailure;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.images.PullFailures;

/**
 * A launch or start of one container failed during a pass.
 *
 * @param permanent whether retrying the same spec cannot help (image unavailable, spec refused)
 * @param backsOff whether the launch is tried again after the restart backoff (a failed pull of a
 *     group whose policy restarts), rather than at the next pass
 */
public record LaunchFailure(
    String containerName,
    RuntimeFailure.Kind kind,
    String message,
    boolean permanent,
    boolean backsOff) {

  public LaunchFailure(
      String containerName, RuntimeFailure.Kind kind, String message, boolean permanent) {
    this(containerName, kind, message, permanent, false);
  }

  public static LaunchFailure of(String containerName, RuntimeFailure failure) {
    boolean permanent =
        failure.kind() == RuntimeFailure.Kind.IMAGE_UNAVAILABLE
            || failure.kind() == RuntimeFailure.Kind.INVALID_SPEC;
    return new LaunchFailure(containerName, failure.kind(), failure.getMessage(), permanent);
  }

  /**
   * A failed pull: the group fails under Never; under Always and OnFailure the pull is tried again
   * after the restart backoff (the registry may come back, the tag may be pushed).
   */
  public static LaunchFailure ofPull(
      String containerName,
      ImagePullFailure failure,
      PullFailures.Described described,
      RestartPolicy policy) {
    boolean never = policy == RestartPolicy.NEVER;
    return new LaunchFailure(containerName, failure.kind(), described.text(), never, !never);
  }
}
