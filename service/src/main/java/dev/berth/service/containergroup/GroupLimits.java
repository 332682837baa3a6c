package dev.berth.service.containergroup;

/**
 * The most (and least) one group may ask for. Set by the operator; the capabilities call shows
 * them, further bounded by the largest host.
 *
 * @param maxGroupResources the most all containers of one group may request together
 * @param minContainerResources the least one container may request
 * @param maxContainers containers per group
 * @param maxEnvironmentVariables environment variables per container
 */
public record GroupLimits(
    Resources maxGroupResources,
    Resources minContainerResources,
    int maxContainers,
    int maxEnvironmentVariables) {

  /**
   * ACI's classic per-group limits. The least CPU is 0.01 vCPU: a container's CPU becomes a CFS
   * quota per 100 ms period, and the kernel refuses a quota below 1 ms.
   */
  public static GroupLimits aciDefaults() {
    return new GroupLimits(new Resources(4000, 16 * 1024), new Resources(10, 6), 60, 100);
  }
}
