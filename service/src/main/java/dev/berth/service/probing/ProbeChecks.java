package dev.berth.service.probing;

import dev.berth.service.containergroup.Probe;
import dev.berth.service.reconciliation.ProbeTarget;

/** Makes one check of a probe against a run on a host. */
@FunctionalInterface
public interface ProbeChecks {

  /**
   * Checks once, taking at most about the probe's timeout.
   *
   * @return null when the check passed, else why it failed (the {@code Unhealthy} event's text)
   */
  String check(String hostId, ProbeTarget target, Probe probe);

  /** The target is no longer checked: whatever was kept for it may go. */
  default void forget(String hostId, ProbeTarget target) {}
}
