package dev.berth.billing.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The prices of one currency over time, and the rating rule. */
public final class PriceBook {

  private static final BigDecimal MILLI = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB_PER_GB = BigDecimal.valueOf(1024);

  private final String currency;
  private final List<Price> prices;

  public PriceBook(String currency, List<Price> prices) {
    this.currency = currency;
    this.prices = prices.stream().filter(p -> p.currency().equals(currency)).toList();
  }

  public String currency() {
    return currency;
  }

  public List<Price> prices() {
    return prices;
  }

  /** The price in force at {@code t}. */
  public Price at(Instant t) {
    return prices.stream()
        .filter(p -> p.validAt(t))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + currency + " price for " + t));
  }

  /**
   * The exact cost of a quantity at one price: vCPU-seconds x the vCPU price + GB-seconds x the GB
   * price, where vCPU-seconds = milli-vCPU-seconds / 1000 and GB-seconds = MiB-seconds / 1024. Both
   * divisions are exact in decimal, so nothing is rounded here.
   */
  public static Money cost(long milliCpuSeconds, long mibSeconds, Price price) {
    return amounts(
        BigDecimal.valueOf(milliCpuSeconds).multiply(price.perVcpuSecond()),
        BigDecimal.valueOf(mibSeconds).multiply(price.perGbSecond()),
        price.currency());
  }

  /**
   * What milli-vCPU-seconds x price per vCPU-second and MiB-seconds x price per GB-second come to:
   * divided by 1000 and 1024 once, exactly (sums of such products give the sum of the costs).
   */
  public static Money amounts(BigDecimal cpuProduct, BigDecimal memoryProduct, String currency) {
    return new Money(cpuProduct.divide(MILLI).add(memoryProduct.divide(MIB_PER_GB)), currency);
  }

  public Money cost(long milliCpuSeconds, long mibSeconds, Instant at) {
    return cost(milliCpuSeconds, mibSeconds, at(at));
  }

  /** vCPU as a decimal (1500 milli-vCPU = 1.5). */
  public static BigDecimal vcpu(long milliCpu) {
    return BigDecimal.valueOf(milliCpu).divide(MILLI).stripTrailingZeros();
  }

  /** GB as a decimal (1536 MiB = 1.5). */
  public static BigDecimal gb(long memoryMiB) {
    return BigDecimal.valueOf(memoryMiB).divide(MIB_PER_GB).stripTrailingZeros();
  }
}
