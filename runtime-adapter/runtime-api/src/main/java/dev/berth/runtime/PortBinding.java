package dev.berth.runtime;

/**
 * A container port published on the host.
 *
 * @param protocol "tcp" or "udp"
 * @param hostIp the host address it is published on
 */
public record PortBinding(int port, String protocol, String hostIp) {}
