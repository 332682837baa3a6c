package dev.berth.runtime;

import java.time.Instant;

/**
 * What a running container uses, as its engine counts it at {@code at}: the counters cAdvisor
 * exports under {@code container_*}.
 *
 * @param cpuNanos CPU time used since the container started, all cores, in nanoseconds
 * @param memoryWorkingSetBytes memory in use less the inactive file cache (what the kernel would
 *     not reclaim first: cAdvisor's working set, what an OOM kill is decided on)
 * @param memoryUsageBytes memory in use, page cache included
 * @param networkReceiveBytes bytes received by its network namespace since it was made; null for a
 *     container that uses another's namespace (the containers of a group share the sandbox's)
 * @param networkTransmitBytes bytes sent, as for receive
 */
public record ContainerUsage(
    Instant at,
    long cpuNanos,
    long memoryWorkingSetBytes,
    long memoryUsageBytes,
    Long networkReceiveBytes,
    Long networkTransmitBytes) {}
