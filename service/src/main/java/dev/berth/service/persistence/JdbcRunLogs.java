package dev.berth.service.persistence;

import dev.berth.runtime.LogLine;
import dev.berth.service.workload.RunLogs;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Kept run output in PostgreSQL, one row per run, one text line per line written. */
public class JdbcRunLogs implements RunLogs {

  private final JdbcTemplate jdbc;

  public JdbcRunLogs(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void keep(UUID groupId, String containerName, KeptRun run) {
    StringBuilder content = new StringBuilder();
    for (LogLine line : run.lines()) {
      content
          .append(line.time())
          .append(' ')
          .append(line.stream())
          .append(' ')
          .append(line.text())
          .append('\n');
    }
    jdbc.update(
        """
        insert into container_logs (group_id, container_name, started_at, finished_at, content, truncated)
        values (?, ?, ?, ?, ?, ?) on conflict do nothing""",
        groupId,
        containerName,
        micros(run.startedAt()),
        run.finishedAt() == null ? null : Timestamp.from(run.finishedAt()),
        content.toString(),
        run.truncated());
  }

  @Override
  public Optional<KeptRun> find(UUID groupId, String containerName, Instant startedAt) {
    return jdbc
        .query(
            "select * from container_logs where group_id = ? and container_name = ? and started_at = ?",
            (rs, n) ->
                new KeptRun(
                    rs.getTimestamp("started_at").toInstant(),
                    rs.getTimestamp("finished_at") == null
                        ? null
                        : rs.getTimestamp("finished_at").toInstant(),
                    parse(rs.getString("content")),
                    rs.getBoolean("truncated")),
            groupId,
            containerName,
            micros(startedAt))
        .stream()
        .findFirst();
  }

  @Override
  public List<Instant> runs(UUID groupId, String containerName) {
    return jdbc.query(
        "select started_at from container_logs where group_id = ? and container_name = ? order by started_at",
        (rs, n) -> rs.getTimestamp(1).toInstant(),
        groupId,
        containerName);
  }

  /**
   * PostgreSQL keeps microseconds; the engine reports nanoseconds. A run is named by the former.
   */
  private static Timestamp micros(Instant time) {
    return Timestamp.from(time.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  private static List<LogLine> parse(String content) {
    List<LogLine> lines = new ArrayList<>();
    for (String row : content.split("\n")) {
      if (row.isEmpty()) {
        continue;
      }
      int first = row.indexOf(' ');
      int second = row.indexOf(' ', first + 1);
      lines.add(
          new LogLine(
              Instant.parse(row.substring(0, first)),
              LogLine.Stream.valueOf(row.substring(first + 1, second)),
              row.substring(second + 1)));
    }
    return lines;
  }
}
