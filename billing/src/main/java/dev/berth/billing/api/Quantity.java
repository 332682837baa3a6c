package dev.berth.billing.api;

import java.util.UUID;

/**
 * Summed segments of one kind: seconds, milli-vCPU-seconds and MiB-seconds at one price.
 *
 * @param billable whether these seconds are billed (not lost to a platform fault)
 */
public record Quantity(
    UUID priceId, boolean billable, long seconds, long milliCpuSeconds, long mibSeconds) {

  public Quantity plus(Quantity other) {
    return new Quantity(
        priceId,
        billable,
        seconds + other.seconds,
        milliCpuSeconds + other.milliCpuSeconds,
        mibSeconds + other.mibSeconds);
  }
}
