package dev.berth.service.persistence;

import dev.berth.service.reconciliation.GroupMoves;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Moves off draining hosts, in {@code group_moves}. */
public class JdbcGroupMoves implements GroupMoves {

  private final JdbcTemplate jdbc;

  public JdbcGroupMoves(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void started(UUID groupId, String fromHost, long fromGeneration) {
    jdbc.update(
        """
        insert into group_moves (group_id, from_host, from_generation) values (?, ?, ?)
        on conflict (group_id) do update set from_host = excluded.from_host,
            from_generation = excluded.from_generation, started_at = now()""",
        groupId,
        fromHost,
        fromGeneration);
  }

  @Override
  public Optional<Move> from(String hostId) {
    return jdbc
        .query(
            "select group_id, from_host, from_generation from group_moves where from_host = ?"
                + " order by started_at limit 1",
            (rs, n) -> new Move(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3)),
            hostId)
        .stream()
        .findFirst();
  }

  @Override
  public void finished(UUID groupId) {
    jdbc.update("delete from group_moves where group_id = ?", groupId);
  }

  @Override
  public boolean keepsOldCopy(UUID groupId, String hostId, long generation, Duration patience) {
    return !jdbc.queryForList(
            """
            select 1 from group_moves
             where group_id = ? and from_host = ? and from_generation = ?
               and started_at > now() - make_interval(secs => ?)""",
            Integer.class,
            groupId,
            hostId,
            generation,
            patience.toMillis() / 1000.0)
        .isEmpty();
  }
}
