package dev.berth.billing.metering;

import java.time.Instant;
import java.util.UUID;

/**
 * One run of a container group: one generation, from the engine's StartedAt of its first container
 * until it stops holding resources. The ledger's row for it; {@code billedThrough} is the metering
 * cursor, and every second of {@code [startSecond, billedThrough)} is in exactly one segment.
 *
 * @param milliCpu the group's requested CPU, in thousandths of a vCPU, for all its containers
 * @param memoryMiB the group's requested memory, in MiB, for all its containers
 * @param startedAt the engine's StartedAt
 * @param startSecond where billing starts: {@code startedAt} truncated to the second (never before
 *     the end of the group's previous run)
 * @param endedAt when the run stopped holding resources, or null while it holds them
 * @param endSecond {@code endedAt} truncated to the second (never before the cursor), or null
 * @param faultSince the cursor's second when the host stopped answering, or null
 * @param confirmedAt when Berth (a reconciler pass or a sweep's host listing, on any replica) last
 *     saw the run holding its resources, as recorded on the run; null until one has
 */
public record UsageRun(
    UUID runId,
    UUID groupId,
    String subscriptionId,
    String resourceGroup,
    String groupName,
    long generation,
    String hostId,
    long milliCpu,
    long memoryMiB,
    Instant startedAt,
    Instant startSecond,
    Instant endedAt,
    Instant endSecond,
    EndReason endReason,
    Instant billedThrough,
    Instant faultSince,
    Instant confirmedAt) {

  public boolean ended() {
    return endSecond != null;
  }

  /** Whether every second of the run is metered: nothing more will be written for it. */
  public boolean closed() {
    return ended() && billedThrough.equals(endSecond);
  }

  public UsageRun advancedTo(Instant cursor, Instant fault) {
    return new UsageRun(
        runId,
        groupId,
        subscriptionId,
        resourceGroup,
        groupName,
        generation,
        hostId,
        milliCpu,
        memoryMiB,
        startedAt,
        startSecond,
        endedAt,
        endSecond,
        endReason,
        cursor,
        fault,
        confirmedAt);
  }

  /** The run as confirmed held at {@code at} (by a pass or a sweep's listing). */
  public UsageRun confirmed(Instant at) {
    return new UsageRun(
        runId,
        groupId,
        subscriptionId,
        resourceGroup,
        groupName,
        generation,
        hostId,
        milliCpu,
        memoryMiB,
        startedAt,
        startSecond,
        endedAt,
        endSecond,
        endReason,
        billedThrough,
        faultSince,
        at);
  }
}
