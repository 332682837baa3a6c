package dev.berth.service.persistence;

import dev.berth.service.metering.HostAnswerRecords;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hosts' answering as the hosts table records it: one query for every host. */
public final class JdbcHostAnswerRecords implements HostAnswerRecords {

  private final JdbcTemplate jdbc;

  public JdbcHostAnswerRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Map<String, HostAnswer> all() {
    Map<String, HostAnswer> hosts = new HashMap<>();
    jdbc.query(
        "select id, silent_since, answered_again_at from hosts",
        rs -> {
          hosts.put(
              rs.getString("id"),
              new HostAnswer(instant(rs, "silent_since"), instant(rs, "answered_again_at")));
        });
    return hosts;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
