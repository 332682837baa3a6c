package dev.berth.service.containergroup;

import java.time.Duration;

/**
 * How long a container that exited waits before the reconciler starts it again, as Kubernetes does:
 * {@code initial}, doubling with every restart in a row up to {@code max}; a run that lasted {@code
 * resetAfter} or longer starts the doubling afresh.
 */
public record RestartBackoff(Duration initial, Duration max, Duration resetAfter) {

  public static RestartBackoff kubernetesDefaults() {
    return new RestartBackoff(
        Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  /** The wait before the restart that follows {@code streak} restarts in a row. */
  public Duration delay(int streak) {
    Duration delay = initial;
    for (int i = 0; i < streak && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
