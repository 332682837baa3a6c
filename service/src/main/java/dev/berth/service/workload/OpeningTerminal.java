package dev.berth.service.workload;

import dev.berth.service.containergroup.GroupKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * ACI's exec: a ticket for an interactive terminal running {@code command} in a running container.
 */
public final class OpeningTerminal {

  private final RunningContainers containers;
  private final ExecTickets tickets;

  public OpeningTerminal(RunningContainers containers, ExecTickets tickets) {
    this.containers = containers;
    this.tickets = tickets;
  }

  /** Empty when there is no such group. */
  public Optional<ExecTickets.Ticket> open(
      GroupKey key, String containerName, String command, int rows, int columns) {
    // ACI's command is one string; like ACI, it is split on blanks (no shell is involved).
    List<String> argv = Arrays.stream(command.trim().split("\\s+")).toList();
    return containers
        .locate(key, containerName)
        .map(
            c ->
                tickets.issue(
                    new ExecTickets.Session(c.hostId(), c.containerId(), argv, rows, columns)));
  }
}
