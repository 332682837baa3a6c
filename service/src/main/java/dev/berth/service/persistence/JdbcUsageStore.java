package dev.berth.service.persistence;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.usage.UsageStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Usage samples in PostgreSQL (table container_usage), read by every replica. */
public class JdbcUsageStore implements UsageStore {

  private final JdbcTemplate jdbc;

  public JdbcUsageStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<RunningContainer> runningOn(String hostId) {
    // The containers' ids and states are taken out of the stored status by PostgreSQL.
    return jdbc.query(
        """
        select g.id, g.subscription_id, g.resource_group, g.name,
               c ->> 'name' as container, c ->> 'containerId' as container_id
          from group_status s
          join container_groups g on g.id = s.group_id
          cross join lateral jsonb_array_elements(s.containers::jsonb) c
         where s.host_id = ?
           and c ->> 'containerId' is not null
           and c -> 'currentState' ->> 'state' = 'RUNNING'
         order by g.id, c ->> 'name'""",
        (rs, n) ->
            new RunningContainer(
                rs.getObject("id", UUID.class),
                new GroupKey(
                    rs.getString("subscription_id"),
                    rs.getString("resource_group"),
                    rs.getString("name")),
                rs.getString("container"),
                rs.getString("container_id")),
        hostId);
  }

  @Override
  public void save(List<Sample> samples) {
    jdbc.batchUpdate(
        """
        insert into container_usage (group_id, container, at, cpu_nanos, memory_working_set,
            memory_usage, network_receive, network_transmit)
        values (?, ?, ?, ?, ?, ?, ?, ?)
        on conflict do nothing""",
        samples,
        samples.size(),
        (statement, sample) -> {
          ContainerUsage u = sample.usage();
          boolean network = GROUP_NETWORK.equals(sample.container());
          statement.setObject(1, sample.groupId());
          statement.setString(2, sample.container());
          statement.setTimestamp(3, Timestamp.from(u.at()));
          setLong(statement, 4, network ? null : u.cpuNanos());
          setLong(statement, 5, network ? null : u.memoryWorkingSetBytes());
          setLong(statement, 6, network ? null : u.memoryUsageBytes());
          setLong(statement, 7, network ? u.networkReceiveBytes() : null);
          setLong(statement, 8, network ? u.networkTransmitBytes() : null);
        });
  }

  private static void setLong(java.sql.PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  @Override
  public List<Sample> samples(UUID groupId, Instant from, Instant to) {
    return jdbc.query(
        """
        select container, at, cpu_nanos, memory_working_set, memory_usage, network_receive,
               network_transmit
          from container_usage
         where group_id = ? and at >= ? and at < ?
         order by container, at""",
        (rs, n) ->
            new Sample(
                groupId,
                rs.getString("container"),
                new ContainerUsage(
                    rs.getTimestamp("at").toInstant(),
                    orZero(rs, "cpu_nanos"),
                    orZero(rs, "memory_working_set"),
                    orZero(rs, "memory_usage"),
                    orNull(rs, "network_receive"),
                    orNull(rs, "network_transmit"))),
        groupId,
        Timestamp.from(from),
        Timestamp.from(to));
  }

  private static long orZero(ResultSet rs, String column) throws SQLException {
    return rs.getLong(column);
  }

  private static Long orNull(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  @Override
  public int deleteBefore(Instant cutoff) {
    return jdbc.update("delete from container_usage where at < ?", Timestamp.from(cutoff));
  }
}
