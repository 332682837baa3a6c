package dev.berth.billing.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden cases of the rating rule at ACI's Linux list prices, and the one rounding rule. */
class RatingTest {

  static final Price ACI = dev.berth.billing.rating.AciPrices.LINUX;

  @ParameterizedTest(name = "{0} s of {1} milli-vCPU and {2} MiB cost {3}")
  @CsvSource({
    // seconds, milliCpu, memoryMiB, exact cost
    "1, 1000, 1024, 0.00001249",
    "5, 1000, 1536, 0.00006555",
    "3600, 1000, 1024, 0.044964",
    "2592000, 1000, 1024, 32.374080", // a 30-day month of 1 vCPU, 1 GB
    "7, 500, 512, 0.000043715",
    "0, 4000, 16384, 0",
  })
  void costIsSecondsTimesPricesExactly(long seconds, long milliCpu, long mib, String expected) {
    Money cost = PriceBook.cost(seconds * milliCpu, seconds * mib, ACI);
    assertThat(cost.amount()).isEqualByComparingTo(new BigDecimal(expected));
    assertThat(cost.currency()).isEqualTo("USD");
  }

  @Test
  void oneMilliVcpuMibSecondIsExactToTheLastDigit() {
    // 0.00001125 / 1000 + 0.00000124 / 1024: both divisions terminate, so nothing is rounded.
    assertThat(PriceBook.cost(1, 1, ACI).plain()).isEqualTo("0.0000000124609375");
  }

  @ParameterizedTest(name = "{0} {1} rounds to {2}")
  @CsvSource({
    "0.005, USD, 0.00",
    "0.015, USD, 0.02",
    "0.0251, USD, 0.03",
    "32.37408, USD, 32.37",
    "0.00006555, USD, 0.00",
    "1234.5, JPY, 1234",
    "1235.5, JPY, 1236",
  })
  void invoiceLinesRoundHalfToEvenToTheMinorUnit(String exact, String currency, String rounded) {
    assertThat(new Money(new BigDecimal(exact), currency).roundedForInvoice().amount())
        .isEqualTo(new BigDecimal(rounded));
  }

  @Test
  void theBookFindsThePriceInForceAndRefusesMixedCurrencies() {
    Price old =
        new Price(
            UUID.randomUUID(),
            "USD",
            new BigDecimal("0.00002"),
            new BigDecimal("0.000002"),
            Instant.EPOCH,
            Instant.parse("2026-01-01T00:00:00Z"));
    Price now =
        new Price(
            UUID.randomUUID(),
            "USD",
            new BigDecimal("0.00001125"),
            new BigDecimal("0.00000124"),
            Instant.parse("2026-01-01T00:00:00Z"),
            null);
    PriceBook book = new PriceBook("USD", List.of(old, now));
    assertThat(book.at(Instant.parse("2025-12-31T23:59:59Z"))).isEqualTo(old);
    assertThat(book.at(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo(now);
    assertThatThrownBy(() -> Money.zero("USD").plus(Money.zero("EUR")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
