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
    Instant createdAt) {

  public ContainerGroup {
    tags = Map.copyOf(tags);
  }

  public ContainerGroup withDesiredState(DesiredState state) {
    return new ContainerGroup(
        id, key, location, tags, spec, generation, state, resourceDocument, createdAt);
  }

  public ContainerGroup withTags(Map<String, String> newTags, String newDocument) {
    return new ContainerGroup(
        id, key, location, newTags, spec, generation, desiredState, newDocument, createdAt);
  }
}
