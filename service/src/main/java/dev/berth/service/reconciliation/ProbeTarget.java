package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.Probe;
import java.time.Instant;

/**
 * A container's run that its probes check.
 *
 * @param container the container's name in the group
 * @param containerId the engine's id, where exec probes run
 * @param run the run's start time (the engine's): checks start {@code initialDelaySeconds} after it
 * @param networkHolder the engine's id or name of the container that holds the run's network (the
 *     group's sandbox for several containers), whose address HTTP probes are sent to
 * @param liveness the liveness probe, or null
 * @param readiness the readiness probe, or null
 */
public record ProbeTarget(
    String container,
    String containerId,
    Instant run,
    String networkHolder,
    Probe liveness,
    Probe readiness) {}
