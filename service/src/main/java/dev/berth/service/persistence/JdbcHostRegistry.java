package dev.berth.service.persistence;

import dev.berth.runtime.HostDescription;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.host.HostDefinition;
import dev.berth.service.host.HostRegistry;
import dev.berth.service.host.HostState;
import dev.berth.service.host.RegisteredHost;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The fleet's hosts in PostgreSQL; every time of health is the database's {@code now()}. */
public class JdbcHostRegistry implements HostRegistry {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A host with its lease's holder (while the lease runs). */
  private static final String SELECT =
      "select h.*, case when l.until > now() then l.holder end as owner"
          + " from hosts h left join host_leases l on l.host_id = h.id";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public JdbcHostRegistry(JdbcTemplate jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public List<RegisteredHost> all() {
    return jdbc.query(SELECT + " order by h.id", JdbcHostRegistry::host);
  }

  @Override
  public Optional<RegisteredHost> find(String hostId) {
    return jdbc.query(SELECT + " where h.id = ?", JdbcHostRegistry::host, hostId).stream()
        .findFirst();
  }

  @Override
  public boolean register(HostDefinition d, HostDescription engine) {
    Resources allocatable = d.allocatable(engine);
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            """
            insert into hosts (id, endpoint, tls_cert_path, zone, labels, cpu_allocatable, memory_allocatable,
                publish_addresses, connect_timeout_ms, response_timeout_ms, allocatable_milli_cpu,
                allocatable_memory_mib, engine_version, last_seen_at, answered_again_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
            on conflict (id) do update set endpoint = excluded.endpoint, tls_cert_path = excluded.tls_cert_path,
                zone = excluded.zone, labels = excluded.labels, cpu_allocatable = excluded.cpu_allocatable,
                memory_allocatable = excluded.memory_allocatable, publish_addresses = excluded.publish_addresses,
                connect_timeout_ms = excluded.connect_timeout_ms, response_timeout_ms = excluded.response_timeout_ms,
                allocatable_milli_cpu = excluded.allocatable_milli_cpu,
                allocatable_memory_mib = excluded.allocatable_memory_mib, engine_version = excluded.engine_version
            returning (xmax = 0)""",
            Boolean.class,
            d.id(),
            d.endpoint(),
            d.tlsCertPath(),
            d.zone(),
            JSON.writeValueAsString(d.labels()),
            d.cpuAllocatable(),
            d.memoryAllocatable(),
            String.join(",", d.publishAddresses()),
            d.connectTimeout().toMillis(),
            d.responseTimeout().toMillis(),
            allocatable.milliCpu(),
            allocatable.memoryMiB(),
            engine.engineVersion()));
  }

  @Override
  public void answered(String hostId, HostDescription engine, String breakerState) {
    jdbc.update(
        """
        update hosts set last_seen_at = now(), last_error = null, breaker_state = ?,
            engine_version = coalesce(?::text, engine_version),
            answered_again_at = case when silent_since is not null or answered_again_at is null
                                     then now() else answered_again_at end,
            silent_since = null,
            allocatable_milli_cpu = coalesce(floor(?::int * 1000 * cpu_allocatable),
                                             allocatable_milli_cpu),
            allocatable_memory_mib = coalesce(floor(?::bigint / 1048576.0 * memory_allocatable),
                                              allocatable_memory_mib)
         where id = ?""",
        breakerState,
        engine == null ? null : engine.engineVersion(),
        engine == null ? null : engine.cpus(),
        engine == null ? null : engine.memoryBytes(),
        hostId);
  }

  @Override
  public void silent(String hostId, String error, String breakerState) {
    jdbc.update(
        """
        update hosts set silent_since = coalesce(silent_since, last_seen_at, now()), last_error = ?,
            breaker_state = ?
         where id = ?""",
        error,
        breakerState,
        hostId);
  }

  @Override
  public boolean declareLostIfSilentFor(String hostId, Duration lostAfter) {
    return jdbc.update(
            """
            update hosts set lost_at = now()
             where id = ? and lost_at is null and silent_since is not null
               and silent_since <= now() - make_interval(secs => ?)""",
            hostId,
            lostAfter.toMillis() / 1000.0)
        == 1;
  }

  @Override
  public boolean lockIfLost(String hostId) {
    List<Boolean> lost =
        jdbc.queryForList(
            "select lost_at is not null or removing from hosts where id = ? for update",
            Boolean.class,
            hostId);
    return lost.isEmpty() || lost.get(0);
  }

  @Override
  public void recovered(String hostId) {
    jdbc.update(
        "update hosts set lost_at = null where id = ? and silent_since is null and not removing",
        hostId);
  }

  @Override
  public void setAdminState(String hostId, HostState state, Instant drainDeadline) {
    if (!state.isAdministrative()) {
      throw new IllegalArgumentException(state + " is not for the operator to set");
    }
    jdbc.update(
        """
        update hosts set admin_state = ?,
            drain_started_at = case when ? then coalesce(drain_started_at, now()) end,
            drain_deadline = case when ? then ?::timestamptz end
         where id = ?""",
        state.name(),
        state == HostState.DRAINING,
        state == HostState.DRAINING,
        drainDeadline == null ? null : Timestamp.from(drainDeadline),
        hostId);
  }

  @Override
  public void drainFinished(String hostId) {
    jdbc.update(
        "update hosts set admin_state = 'CORDONED' where id = ? and admin_state = 'DRAINING'",
        hostId);
  }

  @Override
  public void markRemoving(String hostId) {
    jdbc.update(
        "update hosts set removing = true, lost_at = coalesce(lost_at, now()) where id = ?",
        hostId);
  }

  @Override
  public List<String> removeIfEmpty(String hostId) {
    return tx.execute(
        status -> {
          List<Boolean> exists =
              jdbc.queryForList(
                  "select true from hosts where id = ? for update", Boolean.class, hostId);
          List<String> placed = placedGroups(hostId);
          if (exists.isEmpty() || !placed.isEmpty()) {
            return placed;
          }
          // Finished groups only remember the host; a later start places them anew. The status
          // changes, so its concurrency token moves too.
          jdbc.update(
              """
              update group_status
                 set host_id = null,
                     updated_at = greatest(clock_timestamp(), updated_at + interval '1 microsecond')
               where host_id = ?""",
              hostId);
          jdbc.update("delete from published_ports where host_id = ?", hostId);
          jdbc.update("delete from hosts where id = ?", hostId);
          return List.of();
        });
  }

  @Override
  public List<String> placedGroups(String hostId) {
    return jdbc.queryForList(
        """
        select g.subscription_id || '/' || g.resource_group || '/' || g.name
          from placements p join container_groups g on g.id = p.group_id
         where p.host_id = ? order by 1""",
        String.class,
        hostId);
  }

  @Override
  public Map<String, Occupancy> occupancy() {
    Map<String, Occupancy> byHost = new java.util.HashMap<>();
    jdbc.query(
        "select host_id, sum(milli_cpu), sum(memory_mib), count(*) from placements group by host_id",
        (ResultSet rs) -> {
          byHost.put(
              rs.getString(1),
              new Occupancy(new Resources(rs.getLong(2), rs.getLong(3)), rs.getInt(4)));
        });
    return byHost;
  }

  @Override
  public List<GroupOnHost> groupsOn(String hostId) {
    return jdbc.query(
        """
        select g.id, g.subscription_id, g.resource_group, g.name, s.state, s.provisioning_state,
               coalesce(p.milli_cpu, 0), coalesce(p.memory_mib, 0)
          from group_status s join container_groups g on g.id = s.group_id
          left join placements p on p.group_id = s.group_id and p.host_id = s.host_id
         where s.host_id = ?
         order by g.subscription_id, g.resource_group, g.name""",
        (rs, n) ->
            new GroupOnHost(
                rs.getObject(1, java.util.UUID.class),
                new dev.berth.service.containergroup.GroupKey(
                    rs.getString(2), rs.getString(3), rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                new Resources(rs.getLong(7), rs.getLong(8))),
        hostId);
  }

  private static RegisteredHost host(ResultSet rs, int row) throws SQLException {
    String addresses = rs.getString("publish_addresses");
    HostDefinition definition =
        new HostDefinition(
            rs.getString("id"),
            rs.getString("endpoint"),
            rs.getString("tls_cert_path"),
            rs.getString("zone"),
            JSON.readValue(rs.getString("labels"), new TypeReference<Map<String, String>>() {}),
            rs.getDouble("cpu_allocatable"),
            rs.getDouble("memory_allocatable"),
            addresses == null || addresses.isBlank()
                ? List.of()
                : Arrays.stream(addresses.split(",")).map(String::trim).toList(),
            Duration.ofMillis(rs.getLong("connect_timeout_ms")),
            Duration.ofMillis(rs.getLong("response_timeout_ms")));
    Instant drainStarted = instant(rs, "drain_started_at");
    return new RegisteredHost(
        definition,
        HostState.valueOf(rs.getString("admin_state")),
        new Resources(rs.getLong("allocatable_milli_cpu"), rs.getLong("allocatable_memory_mib")),
        rs.getString("engine_version"),
        new RegisteredHost.Health(
            instant(rs, "last_seen_at"),
            instant(rs, "silent_since"),
            instant(rs, "answered_again_at"),
            instant(rs, "lost_at"),
            rs.getString("last_error"),
            rs.getString("breaker_state")),
        leaseHolder(rs),
        instant(rs, "registered_at"),
        drainStarted == null
            ? null
            : new RegisteredHost.Drain(drainStarted, instant(rs, "drain_deadline")),
        rs.getBoolean("removing"));
  }

  private static String leaseHolder(ResultSet rs) throws SQLException {
    return rs.getString("owner");
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
