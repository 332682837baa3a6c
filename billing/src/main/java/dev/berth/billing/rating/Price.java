package dev.berth.billing.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A price valid over {@code [validFrom, validTo)}; validTo null means until further notice.
 *
 * @param perVcpuSecond price of one vCPU for one second
 * @param perGbSecond price of one GB (1024 MiB, as ACI's memoryInGB) for one second
 */
public record Price(
    UUID id,
    String currency,
    BigDecimal perVcpuSecond,
    BigDecimal perGbSecond,
    Instant validFrom,
    Instant validTo) {

  public boolean validAt(Instant t) {
    return !t.isBefore(validFrom) && (validTo == null || t.isBefore(validTo));
  }
}
