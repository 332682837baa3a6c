package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;

/**
 * One host's room for groups.
 *
 * @param allocatable what groups may use in total (the engine's CPUs and memory times the
 *     operator's allocatable fractions)
 * @param reserved what placed groups hold now
 * @param zone the host's zone, or null
 * @param schedulable false unless the host is Ready (cordoned, draining, silent and lost hosts take
 *     no new groups)
 */
public record HostCapacity(
    String hostId, String zone, Resources allocatable, Resources reserved, boolean schedulable) {

  public Resources free() {
    return allocatable.minus(reserved);
  }
}
