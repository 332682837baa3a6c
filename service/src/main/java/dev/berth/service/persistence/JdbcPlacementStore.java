package dev.berth.service.persistence;

import dev.berth.service.containergroup.Resources;
import dev.berth.service.host.HostStore;
import dev.berth.service.scheduling.HostCapacity;
import dev.berth.service.scheduling.PlacementStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hosts and reservations in PostgreSQL. A reservation is checked and written while the host's row
 * is locked ({@code select ... for update}), so two placements racing for the last room on a host
 * are serialised and the loser sees that it no longer fits.
 */
public class JdbcPlacementStore implements PlacementStore, HostStore {

  private final JdbcTemplate jdbc;
  private final Clock clock;

  public JdbcPlacementStore(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public List<HostCapacity> capacitiesExcluding(UUID groupId) {
    return jdbc.query(
        """
        select h.id, h.allocatable_milli_cpu, h.allocatable_memory_mib, h.schedulable,
               coalesce(sum(p.milli_cpu) filter (where p.group_id is distinct from ?), 0) as reserved_cpu,
               coalesce(sum(p.memory_mib) filter (where p.group_id is distinct from ?), 0) as reserved_memory
          from hosts h left join placements p on p.host_id = h.id
         group by h.id order by h.id""",
        (rs, n) ->
            new HostCapacity(
                rs.getString("id"),
                new Resources(
                    rs.getLong("allocatable_milli_cpu"), rs.getLong("allocatable_memory_mib")),
                new Resources(rs.getLong("reserved_cpu"), rs.getLong("reserved_memory")),
                rs.getBoolean("schedulable")),
        groupId,
        groupId);
  }

  @Override
  public boolean tryReserve(UUID groupId, String hostId, Resources demand) {
    List<Resources> allocatable =
        jdbc.query(
            "select allocatable_milli_cpu, allocatable_memory_mib from hosts where id = ? and schedulable for update",
            (rs, n) -> new Resources(rs.getLong(1), rs.getLong(2)),
            hostId);
    if (allocatable.isEmpty()) {
      return false;
    }
    Resources reserved =
        jdbc.queryForObject(
            "select coalesce(sum(milli_cpu), 0), coalesce(sum(memory_mib), 0) from placements where host_id = ? and group_id <> ?",
            (rs, n) -> new Resources(rs.getLong(1), rs.getLong(2)),
            hostId,
            groupId);
    if (!demand.fitsIn(allocatable.get(0).minus(reserved))) {
      return false;
    }
    jdbc.update(
        """
        insert into placements (group_id, host_id, milli_cpu, memory_mib) values (?, ?, ?, ?)
        on conflict (group_id) do update set host_id = excluded.host_id, milli_cpu = excluded.milli_cpu,
            memory_mib = excluded.memory_mib""",
        groupId,
        hostId,
        demand.milliCpu(),
        demand.memoryMiB());
    return true;
  }

  @Override
  public void release(UUID groupId) {
    jdbc.update("delete from placements where group_id = ?", groupId);
  }

  @Override
  public void registered(
      String hostId, String endpoint, Resources allocatable, String engineVersion) {
    jdbc.update(
        """
        insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib, schedulable, engine_version, last_seen_at)
        values (?, ?, ?, ?, true, ?, ?)
        on conflict (id) do update set endpoint = excluded.endpoint,
            allocatable_milli_cpu = excluded.allocatable_milli_cpu, allocatable_memory_mib = excluded.allocatable_memory_mib,
            schedulable = true, engine_version = excluded.engine_version, last_seen_at = excluded.last_seen_at,
            unreachable_reason = null""",
        hostId,
        endpoint,
        allocatable.milliCpu(),
        allocatable.memoryMiB(),
        engineVersion,
        Timestamp.from(clock.instant()));
  }

  @Override
  public void unreachable(String hostId, String reason) {
    jdbc.update(
        """
        insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib, schedulable, unreachable_reason)
        values (?, '', 0, 0, false, ?)
        on conflict (id) do update set schedulable = false, unreachable_reason = excluded.unreachable_reason""",
        hostId,
        reason);
  }
}
