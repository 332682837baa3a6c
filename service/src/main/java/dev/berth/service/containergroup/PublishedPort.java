package dev.berth.service.containergroup;

/**
 * A port of the group's IP address (ACI's ipAddress.ports): published on the host's address for the
 * group and reaching the same port inside the group's network namespace.
 *
 * @param protocol TCP or UDP
 */
public record PublishedPort(int port, String protocol) {}
