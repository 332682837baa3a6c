package dev.berth.service.containergroup;

import java.util.Arrays;
import java.util.Optional;

/** One per group; the reconciler, not Docker, applies it. */
public enum RestartPolicy {
  /** Restart a container whenever it exits. ACI's default. */
  ALWAYS("Always"),
  /** Restart a container only when it exits with a non-zero code. */
  ON_FAILURE("OnFailure"),
  /** Run each container once. */
  NEVER("Never");

  private final String aciName;

  RestartPolicy(String aciName) {
    this.aciName = aciName;
  }

  public String aciName() {
    return aciName;
  }

  /** Whether a container that exited with {@code exitCode} is started again. */
  public boolean restarts(int exitCode) {
    return this == ALWAYS || (this == ON_FAILURE && exitCode != 0);
  }

  public static Optional<RestartPolicy> fromAci(String name) {
    return Arrays.stream(values()).filter(p -> p.aciName.equalsIgnoreCase(name)).findFirst();
  }
}
