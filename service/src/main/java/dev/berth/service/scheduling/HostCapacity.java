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

  /**
   * Whether {@code demand} fits in the free room (computed without allocating: ranking hot path).
   */
  public boolean fits(Resources demand) {
    return demand.milliCpu() <= allocatable.milliCpu() - reserved.milliCpu()
        && demand.memoryMiB() <= allocatable.memoryMiB() - reserved.memoryMiB();
  }

  /**
   * The larger of the CPU and memory shares held once {@code demand} is placed here, 0 (empty) to 1
   * (full); a host offering none of a resource counts as full of it.
   */
  public double utilisationAfter(Resources demand) {
    return Math.max(
        share(reserved.milliCpu() + demand.milliCpu(), allocatable.milliCpu()),
        share(reserved.memoryMiB() + demand.memoryMiB(), allocatable.memoryMiB()));
  }

  /** Whether a group asking for {@code zone} (null: any zone) may be placed here. */
  public boolean inZone(String zone) {
    return zone == null || zone.equals(this.zone);
  }

  private static double share(long used, long total) {
    return total == 0 ? 1 : (double) used / total;
  }
}
