package dev.berth.service.containergroup;

/**
 * Where a group was placed.
 *
 * @param address the host address its ports are published on, or null when it publishes none
 */
public record Placement(String hostId, String address) {}
