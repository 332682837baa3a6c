package dev.berth.service.reconciliation;

import dev.berth.runtime.RuntimeFailure;

/**
 * A launch or start of one container failed during a pass.
 *
 * @param permanent whether retrying the same spec cannot help (image unavailable, spec refused)
 */
public record LaunchFailure(
    String containerName, RuntimeFailure.Kind kind, String message, boolean permanent) {

  public static LaunchFailure of(String containerName, RuntimeFailure failure) {
    boolean permanent =
        failure.kind() == RuntimeFailure.Kind.IMAGE_UNAVAILABLE
            || failure.kind() == RuntimeFailure.Kind.INVALID_SPEC;
    return new LaunchFailure(containerName, failure.kind(), failure.getMessage(), permanent);
  }
}
