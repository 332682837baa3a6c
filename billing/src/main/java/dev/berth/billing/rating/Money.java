package dev.berth.billing.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in a currency: the one money type. Exact until {@link #roundedForInvoice()}, which is
 * applied once per invoice line.
 */
public record Money(BigDecimal amount, String currency) {

  public Money {
    Objects.requireNonNull(amount);
    Objects.requireNonNull(currency);
  }

  public static Money zero(String currency) {
    return new Money(BigDecimal.ZERO, currency);
  }

  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot add " + other.currency + " to " + currency + " without a conversion");
    }
    return new Money(amount.add(other.amount), currency);
  }

  /**
   * The rounding rule: to the currency's minor unit (ISO 4217: two decimals for USD and EUR, none
   * for JPY), half to even, so that over many lines rounding neither favours Berth nor the
   * customer.
   */
  public Money roundedForInvoice() {
    int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    return new Money(amount.setScale(digits, RoundingMode.HALF_EVEN), currency);
  }

  /** The amount without trailing zeros, as shown in the API ("0.00005625", not "5.625E-5"). */
  public String plain() {
    return plain(amount);
  }

  /** Any decimal without trailing zeros or an exponent: "1.5", "1000", "0.00000124". */
  public static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }
}
