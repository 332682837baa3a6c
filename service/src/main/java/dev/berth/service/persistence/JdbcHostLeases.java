package dev.berth.service.persistence;

import dev.berth.service.host.HostLeases;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Host leases as columns of {@code hosts}, on the database's clock, so replicas whose clocks differ
 * still agree on when a lease lapses.
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
                  update hosts h set lease_until = now() + make_interval(secs => ?)
                    from unnest(?::text[], ?::bigint[]) as held(id, epoch)
                   where h.id = held.id and h.lease_holder = ? and h.lease_epoch = held.epoch
                  returning h.id, h.lease_epoch""");
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
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  update hosts set lease_holder = ?, lease_until = now() + make_interval(secs => ?),
                      lease_epoch = lease_epoch + 1
                   where id in (select id from hosts
                                 where (lease_holder is null or lease_until is null
                                        or lease_until < now() or lease_holder = ?)
                                   and not (id = any(?))
                                 order by id limit ? for update skip locked)
                  returning id, lease_epoch""");
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
                  "update hosts set lease_holder = null, lease_until = null"
                      + " where lease_holder = ? and id = any(?)");
          statement.setString(1, replica);
          statement.setArray(2, connection.createArrayOf("text", hosts.toArray()));
          return statement;
        });
  }

  @Override
  public void releaseAll(String replica) {
    jdbc.update(
        "update hosts set lease_holder = null, lease_until = null where lease_holder = ?", replica);
    jdbc.update("delete from replicas where id = ?", replica);
  }

  @Override
  public boolean holds(String hostId, String replica, long epoch) {
    return !jdbc.queryForList(
            """
            select id from hosts
             where id = ? and lease_holder = ? and lease_epoch = ? and lease_until > now()
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
