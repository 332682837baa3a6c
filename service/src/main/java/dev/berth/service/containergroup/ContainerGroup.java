package dev.berth.service.containergroup;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A container group's desired state: what the API asked for. The reconciler never writes it; what
 * it observes lives in {@link GroupStatus}.
 *
 * @param generation grows with every change of spec, so containers of an older spec are recognised
 * @param resourceDocument the resource as the client sent it, secrets removed; echoed by GET
 * @param restartEpoch grows with every restart action; the reconciler restarts the containers until
 *     its status has applied this epoch
 */
public record ContainerGroup(
    UUID id,
    GroupKey key,
    String location,
    Map<String, String> tags,
    GroupSpec spec,
    long generation,
    DesiredState desiredState,
    String resourceDocument,
    Instant createdAt,
    long restartEpoch) {

  public ContainerGroup {
    tags = Map.copyOf(tags);
  }

  public ContainerGroup withDesiredState(DesiredState state) {
    return new ContainerGroup(
        id,
        key,
        location,
        tags,
        spec,
        generation,
        state,
        resourceDocument,
        createdAt,
        restartEpoch);
  }

  public ContainerGroup withTags(Map<String, String> newTags, String newDocument) {
    return new ContainerGroup(
        id,
        key,
        location,
        newTags,
        spec,
        generation,
        desiredState,
        newDocument,
        createdAt,
        restartEpoch);
  }

  /** The same spec as a new generation: a fresh run (start after stop, or a replaced spec). */
  public ContainerGroup nextGeneration(
      GroupSpec newSpec, String newLocation, Map<String, String> newTags, String newDocument) {
    return new ContainerGroup(
        id,
        key,
        newLocation,
        newTags,
        newSpec,
        generation + 1,
        DesiredState.RUNNING,
        newDocument,
        createdAt,
        restartEpoch);
  }

  /** Asks for every container to be restarted in place. */
  public ContainerGroup withRestartRequested() {
    return new ContainerGroup(
        id,
        key,
        location,
        tags,
        spec,
        generation,
        desiredState,
        resourceDocument,
        createdAt,
        restartEpoch + 1);
  }
}
