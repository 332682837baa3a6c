package dev.berth.service.workload;

import dev.berth.runtime.ExecResult;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.host.HostRuntimes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs an argv inside a running container (no shell, no terminal) and returns exit code and output.
 */
public final class RunningCommand {

  private final RunningContainers containers;
  private final HostRuntimes hosts;
  private final int maxOutputBytes;

  public RunningCommand(RunningContainers containers, HostRuntimes hosts, int maxOutputBytes) {
    this.containers = containers;
    this.hosts = hosts;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** Empty when there is no such group. */
  public Optional<ExecResult> run(
      GroupKey key, String containerName, List<String> argv, Duration deadline) {
    return containers
        .locate(key, containerName)
        .map(c -> hosts.forHost(c.hostId()).exec(c.containerId(), argv, deadline, maxOutputBytes));
  }
}
