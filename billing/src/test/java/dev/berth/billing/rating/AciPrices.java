package dev.berth.billing.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** ACI's Linux list prices, the price book's default, for tests. */
public final class AciPrices {

  public static final Price LINUX =
      new Price(
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          "USD",
          new BigDecimal("0.00001125"),
          new BigDecimal("0.00000124"),
          Instant.EPOCH,
          null);

  private AciPrices() {}
}
