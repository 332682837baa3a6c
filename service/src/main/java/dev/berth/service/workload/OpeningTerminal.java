package dev.berth.service.workload;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupConflictException;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * ACI's exec: a ticket for an interactive terminal running {@code command} in a running container.
 */
public final class OpeningTerminal {

  private final ContainerGroupStore store;
  private final ExecTickets tickets;

  public OpeningTerminal(ContainerGroupStore store, ExecTickets tickets) {
    this.store = store;
    this.tickets = tickets;
  }

  /** Empty when there is no such group. */
  public Optional<ExecTickets.Ticket> open(
      GroupKey key, String containerName, String command, int rows, int columns) {
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
          "ContainerNotRunning", "The container '" + containerName + "' is not running.");
    }
    // ACI's command is one string; like ACI, it is split on blanks (no shell is involved).
    List<String> argv = Arrays.stream(command.trim().split("\\s+")).toList();
    return Optional.of(
        tickets.issue(
            new ExecTickets.Session(
                status.get().hostId(), container.containerId(), argv, rows, columns)));
  }
}
