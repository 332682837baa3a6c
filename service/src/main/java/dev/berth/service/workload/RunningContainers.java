package dev.berth.service.workload;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupConflictException;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import java.util.Optional;

/** Finds where a running container of a group is: what exec and terminals act on. */
public final class RunningContainers {

  /** A running container: its host and the engine's id. */
  public record Located(String hostId, String containerId) {}

  private final ContainerGroupStore store;

  public RunningContainers(ContainerGroupStore store) {
    this.store = store;
  }

  /**
   * Empty when there is no such group.
   *
   * @throws ContainerNotFoundException when the group has no container of that name
   * @throws GroupConflictException (ContainerNotRunning) when it is not running
   */
  public Optional<Located> locate(GroupKey key, String containerName) {
    Optional<ContainerGroup> group = store.find(key);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    if (group.get().spec().containers().stream().noneMatch(c -> c.name().equals(containerName))) {
      throw new ContainerNotFoundException(key.name(), containerName);
    }
    Optional<GroupStatus> status = store.status(group.get().id());
    ContainerStatus container = status.flatMap(s -> s.container(containerName)).orElse(null);
    if (container == null
        || container.containerId() == null
        || container.currentState().state() != ContainerState.Kind.RUNNING) {
      throw new GroupConflictException(
          "ContainerNotRunning",
          "The container '"
              + containerName
              + "' is not running"
              + (container == null
                  ? "."
                  : " (it is " + container.currentState().state().aciName() + ")."));
    }
    return Optional.of(new Located(status.get().hostId(), container.containerId()));
  }
}
