package dev.berth.runtime;

/**
 * A host as its engine describes itself.
 *
 * @param cpus logical CPUs
 * @param memoryBytes total memory
 * @param engineVersion the engine's version string
 */
public record HostDescription(int cpus, long memoryBytes, String engineVersion) {}
