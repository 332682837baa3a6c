package dev.berth.service.scheduling;

import dev.berth.service.containergroup.Resources;

/**
 * One host's room for groups.
 *
 * @param allocatable what groups may use in total (the engine's CPUs and memory times the
 *     operator's allocatable fractions)
 * @param reserved what placed groups hold now
 * @param schedulable false while the host is cordoned or unreachable
 */
public record HostCapacity(
    String hostId, Resources allocatable, Resources reserved, boolean schedulable) {

  public Resources free() {
    return allocatable.minus(reserved);
  }
}
