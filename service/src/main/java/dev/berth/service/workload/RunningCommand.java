package dev.berth.service.workload;

import dev.berth.runtime.ExecResult;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupConflictException;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.reconciliation.HostRuntimes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs an argv inside a running container (no shell, no terminal) and returns exit code and output.
 */
public final class RunningCommand {

  private final ContainerGroupStore store;
  private final HostRuntimes hosts;
  private final int maxOutputBytes;

  public RunningCommand(ContainerGroupStore store, HostRuntimes hosts, int maxOutputBytes) {
    this.store = store;
    this.hosts = hosts;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** Empty when there is no such group. */
  public Optional<ExecResult> run(
      GroupKey key, String containerName, List<String> argv, Duration deadline) {
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
    return Optional.of(
        hosts
            .forHost(status.get().hostId())
            .exec(container.containerId(), argv, deadline, maxOutputBytes));
  }
}
