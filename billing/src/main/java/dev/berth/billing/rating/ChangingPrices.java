package dev.berth.billing.rating;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.UUID;

/**
 * Adds a price to the book. Prices change only from a whole hour in the future, so usage already
 * metered (and invoices already drafted) keep the prices they were rated at, and a usage segment,
 * which never crosses an hour, always has exactly one price.
 */
public final class ChangingPrices {

  private final PriceBookStore store;
  private final Clock clock;

  public ChangingPrices(PriceBookStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Price add(String currency, String perVcpuSecond, String perGbSecond, Instant validFrom) {
    if (currency == null || !isCurrency(currency)) {
      throw new PriceRejected(
          "InvalidCurrency", "currency must be an ISO 4217 code such as USD.", "currency");
    }
    BigDecimal cpu = amount(perVcpuSecond, "perVcpuSecond");
    BigDecimal gb = amount(perGbSecond, "perGbSecond");
    if (validFrom == null || !validFrom.truncatedTo(ChronoUnit.HOURS).equals(validFrom)) {
      throw new PriceRejected(
          "InvalidValidFrom",
          "validFrom must be a whole hour (UTC), e.g. 2027-01-01T00:00:00Z.",
          "validFrom");
    }
    if (!validFrom.isAfter(clock.instant())) {
      throw new PriceRejected(
          "InvalidValidFrom",
          "validFrom must be in the future: usage already metered keeps its prices.",
          "validFrom");
    }
    boolean laterExists =
        store.prices().stream()
            .anyMatch(p -> p.currency().equals(currency) && !p.validFrom().isBefore(validFrom));
    if (laterExists) {
      throw new PriceRejected(
          "InvalidValidFrom",
          "a " + currency + " price already starts at or after " + validFrom + ".",
          "validFrom");
    }
    Price price = new Price(UUID.randomUUID(), currency, cpu, gb, validFrom, null);
    store.add(price);
    return price;
  }

  private static boolean isCurrency(String code) {
    try {
      return Currency.getInstance(code).getCurrencyCode().equals(code);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static BigDecimal amount(String value, String field) {
    try {
      BigDecimal amount = new BigDecimal(value);
      if (amount.signum() < 0) {
        throw new NumberFormatException();
      }
      return amount;
    } catch (NumberFormatException | NullPointerException e) {
      throw new PriceRejected(
          "InvalidPrice", field + " must be a non-negative decimal, e.g. \"0.00001125\".", field);
    }
  }
}
