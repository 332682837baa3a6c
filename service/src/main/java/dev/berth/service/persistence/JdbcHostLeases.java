package dev.berth.service.persistence;

import dev.berth.service.host.HostLeases;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Host leases in {@code host_leases}, on the database's clock, so replicas whose clocks differ
 * still agree on when a lease lapses. Never the hosts rows themselves: placements and moves lock
 * those, and a renewal of many leases in one statement must not wait on them (nor they on it).
 */
public class JdbcHostLeases implements HostLeases {

  private final JdbcTemplate jdbc;

  public JdbcHostLeases(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Map<String, Long> renew(String replica, Duration duration, Map<String, Long> held) {
    jdbc.update(
        """
        insert into replicas (id, started_at, seen_at) values (?, now(), now())
        on conflict (id) do update set seen_at = now()""",
        replica);
    Map<String, Long> kept = new HashMap<>();
    if (held.isEmpty()) {
      return kept;
    }
    List<String> hosts = List.copyOf(held.keySet());
    Long[] epochs = hosts.stream().map(held::get).toArray(Long[]::new);
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  update host_leases l set until = now() + make_interval(secs => ?)
                    from unnest(?::text[], ?::bigint[]) as held(id, epoch)
                   where l.host_id = held.id and l.holder = ? and l.epoch = held.epoch
                  returning l.host_id, l.epoch""");
          statement.setDouble(1, seconds(duration));
          statement.setArray(2, connection.createArrayOf("text", hosts.toArray()));
          statement.setArray(3, connection.createArrayOf("bigint", epochs));
          statement.setString(4, replica);
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          kept.put(rs.getString(1), rs.getLong(2));
        });
    return kept;
  }

  @Override
  public Map<String, Long> acquire(
      String replica, Duration duration, int max, java.util.Set<String> held) {
    Map<String, Long> taken = new HashMap<>();
    // A host registered since has no lease row yet.
    jdbc.update(
        "insert into host_leases (host_id) select id from hosts on conflict (host_id) do nothing");
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  update host_leases set holder = ?, until = now() + make_interval(secs => ?),
                      epoch = epoch + 1
                   where host_id in (select host_id from host_leases
                                      where (holder is null or until is null or until < now()
                                             or holder = ?)
                                        and not (host_id = any(?))
                                      order by host_id limit ? for update skip locked)
                  returning host_id, epoch""");
          statement.setString(1, replica);
          statement.setDouble(2, seconds(duration));
          statement.setString(3, replica);
          statement.setArray(4, connection.createArrayOf("text", held.toArray()));
          statement.setInt(5, max);
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          taken.put(rs.getString(1), rs.getLong(2));
        });
    return taken;
  }

  @Override
  public int liveReplicas(Duration duration) {
    jdbc.update("delete from replicas where seen_at < now() - interval '1 hour'");
    Integer live =
        jdbc.queryForObject(
            "select count(*) from replicas where seen_at > now() - make_interval(secs => ?)",
            Integer.class,
            seconds(duration));
    return live == null ? 1 : live;
  }

  @Override
  public int hostCount() {
    Integer count = jdbc.queryForObject("select count(*) from hosts", Integer.class);
    return count == null ? 0 : count;
  }

  @Override
  public void release(String replica, java.util.Set<String> hosts) {
    jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "update host_leases set holder = null, until = null"
                      + " where holder = ? and host_id = any(?)");
          statement.setString(1, replica);
          statement.setArray(2, connection.createArrayOf("text", hosts.toArray()));
          return statement;
        });
  }

  @Override
  public void releaseAll(String replica) {
    jdbc.update("update host_leases set holder = null, until = null where holder = ?", replica);
    jdbc.update("delete from replicas where id = ?", replica);
  }

  @Override
  public boolean holds(String hostId, String replica, long epoch) {
    return !jdbc.queryForList(
            """
            select host_id from host_leases
             where host_id = ? and holder = ? and epoch = ? and until > now()
               for share""",
            String.class,
            hostId,
            replica,
            epoch)
        .isEmpty();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
