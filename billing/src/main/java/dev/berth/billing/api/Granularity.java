package dev.berth.billing.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How usage over time is bucketed (UTC). */
public enum Granularity {
  HOURLY(ChronoUnit.HOURS),
  DAILY(ChronoUnit.DAYS);

  private final ChronoUnit unit;

  Granularity(ChronoUnit unit) {
    this.unit = unit;
  }

  public Instant bucketOf(Instant t) {
    return t.truncatedTo(unit);
  }

  /** PostgreSQL's name for the unit, for date_trunc. */
  public String sqlUnit() {
    return unit == ChronoUnit.HOURS ? "hour" : "day";
  }
}
