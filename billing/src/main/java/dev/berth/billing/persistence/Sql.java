package dev.berth.billing.persistence;

import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.UsageRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Conversions between JDBC and the ledger's types. */
final class Sql {

  static final String RUN_COLUMNS =
      "run_id, group_id, subscription_id, resource_group, group_name, generation, host_id,"
          + " milli_cpu, memory_mib, started_at, start_second, ended_at, end_second, end_reason,"
          + " billed_through, fault_since, confirmed_at";

  private Sql() {}

  /**
   * A time for PostgreSQL, truncated to its microseconds here: PostgreSQL would round the engine's
   * nanoseconds, and rounding 10:00:00.9999996 up would move it into the next second.
   */
  static OffsetDateTime ts(Instant t) {
    return t == null
        ? null
        : OffsetDateTime.ofInstant(
            t.truncatedTo(java.time.temporal.ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static UsageRun run(ResultSet rs, int row) throws SQLException {
    String reason = rs.getString("end_reason");
    return new UsageRun(
        rs.getObject("run_id", UUID.class),
        rs.getObject("group_id", UUID.class),
        rs.getString("subscription_id"),
        rs.getString("resource_group"),
        rs.getString("group_name"),
        rs.getLong("generation"),
        rs.getString("host_id"),
        rs.getLong("milli_cpu"),
        rs.getLong("memory_mib"),
        instant(rs, "started_at"),
        instant(rs, "start_second"),
        instant(rs, "ended_at"),
        instant(rs, "end_second"),
        reason == null ? null : EndReason.valueOf(reason),
        instant(rs, "billed_through"),
        instant(rs, "fault_since"),
        instant(rs, "confirmed_at"));
  }
}
