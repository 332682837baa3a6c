package dev.berth.service.host;

import java.util.List;

/**
 * One host as the operator configures it.
 *
 * @param id stable name of the host (placements refer to it)
 * @param cpuAllocatable fraction of the engine's CPUs groups may reserve (0-1]
 * @param memoryAllocatable fraction of the engine's memory groups may reserve (0-1]
 * @param publishAddresses host addresses groups' ports are published on; each group gets one
 */
public record HostDefinition(
    String id,
    String endpoint,
    double cpuAllocatable,
    double memoryAllocatable,
    List<String> publishAddresses) {}
