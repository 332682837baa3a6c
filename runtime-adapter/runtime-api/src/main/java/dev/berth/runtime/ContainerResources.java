package dev.berth.runtime;

/**
 * cgroup limits of one container.
 *
 * @param nanoCpus CPU quota in billionths of a CPU (1 vCPU = 1_000_000_000)
 * @param memoryBytes memory limit; memory plus swap is set to the same value, so no swap is used
 */
public record ContainerResources(long nanoCpus, long memoryBytes) {

  public ContainerResources {
    if (nanoCpus <= 0) {
      throw new IllegalArgumentException("nanoCpus must be positive: " + nanoCpus);
    }
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
    }
  }
}
