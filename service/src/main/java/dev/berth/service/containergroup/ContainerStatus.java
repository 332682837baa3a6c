package dev.berth.service.containergroup;

import java.util.List;

/**
 * What the reconciler last saw of one container of a group.
 *
 * @param containerId the engine's id of the current attempt, or null before it is created
 * @param previousState the last terminated attempt, or null
 */
public record ContainerStatus(
    String name,
    String containerId,
    ContainerState currentState,
    ContainerState previousState,
    int restartCount,
    List<GroupEvent> events) {

  public ContainerStatus {
    events = List.copyOf(events);
  }

  public static ContainerStatus initial(String name) {
    return new ContainerStatus(name, null, ContainerState.waiting(null), null, 0, List.of());
  }
}
