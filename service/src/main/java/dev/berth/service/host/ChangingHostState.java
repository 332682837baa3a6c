package dev.berth.service.host;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * POST cordon, uncordon and drain: the operator's wish for a host. Cordoned and draining hosts take
 * no new groups; a draining host's owner moves its groups away one at a time, then cordons it.
 */
public final class ChangingHostState {

  private final HostRegistry registry;
  private final Clock clock;

  public ChangingHostState(HostRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Empty when there is no such host. */
  public Optional<RegisteredHost> cordon(String hostId) {
    return set(hostId, HostState.CORDONED, null);
  }

  /** Ready again; a drain in progress is cancelled (what moved stays moved). */
  public Optional<RegisteredHost> uncordon(String hostId) {
    return set(hostId, HostState.READY, null);
  }

  /**
   * Starts draining (or changes the deadline of a drain under way).
   *
   * @param deadline after it whatever is left is stopped and placed again at once
   */
  public Optional<RegisteredHost> drain(String hostId, Duration deadline) {
    return set(hostId, HostState.DRAINING, deadline);
  }

  private Optional<RegisteredHost> set(String hostId, HostState state, Duration deadline) {
    if (registry.find(hostId).isEmpty()) {
      return Optional.empty();
    }
    registry.setAdminState(hostId, state, deadline == null ? null : clock.instant().plus(deadline));
    return registry.find(hostId);
  }
}
