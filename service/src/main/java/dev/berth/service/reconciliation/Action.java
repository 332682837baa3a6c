package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerDefinition;

/** A side effect the plan asks for. The reconciler executes them in the order given. */
public sealed interface Action {

  /** Remove a container (stale generation, not in the spec any more, or the group is deleted). */
  record Remove(String containerId, String containerName, String reason) implements Action {}

  /** Create (idempotently, by deterministic name) and start a container of the current spec. */
  record Launch(ContainerDefinition definition) implements Action {}

  /**
   * Start an existing container again: created but not started, or exited and due for a restart.
   */
  record Start(String containerId, ContainerDefinition definition) implements Action {}

  /** Create (idempotently) and start the group's sandbox, which holds its network namespace. */
  record LaunchSandbox() implements Action {}

  /** Start the group's existing sandbox again. */
  record StartSandbox(String containerId) implements Action {}

  /**
   * Stop a running container (the group is being stopped); it stays for its logs.
   *
   * @param containerName its name in the group (or the sandbox's)
   */
  record Stop(String containerId, String containerName) implements Action {}

  /**
   * Stop a running container whose liveness probe failed; its restart policy then decides, with its
   * backoff, whether and when it runs again.
   *
   * @param message the {@code Killing} event's text
   */
  record KillUnhealthy(String containerId, String containerName, String message)
      implements Action {}

  /** Stop and start a container in place (a restart action). */
  record Restart(String containerId, ContainerDefinition definition) implements Action {}

  /** Every container was restarted for this restart action. */
  record RestartApplied(long epoch) implements Action {}

  /** Create the group's volumes (idempotently) and write its secret volumes' files. */
  record PrepareVolumes() implements Action {}

  /** Remove the group's volumes; its containers are gone. */
  record RemoveVolumes() implements Action {}

  /** Give the group's reserved capacity back. */
  record ReleaseCapacity() implements Action {}

  /** Remove the group's records; every container of it is gone. */
  record DeleteGroup() implements Action {}
}
