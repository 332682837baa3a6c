package dev.berth.service.persistence;

import dev.berth.service.containergroup.Placement;
import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.scheduling.HostCapacity;
import dev.berth.service.scheduling.PlacementStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hosts and reservations in PostgreSQL. A reservation is checked and written while the host's row
 * is locked ({@code select ... for update}), so two placements racing for the last room on a host
 * are serialised and the loser sees that it no longer fits.
 */
public class JdbcPlacementStore implements PlacementStore {

  /**
   * Whether a host takes new groups: Ready (not cordoned or draining), answering, not lost, and
   * answered at least once.
   */
  static final String SCHEDULABLE =
      "(h.admin_state = 'READY' and h.lost_at is null and h.silent_since is null"
          + " and h.last_seen_at is not null)";

  private final JdbcTemplate jdbc;

  public JdbcPlacementStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<HostCapacity> capacitiesExcluding(UUID groupId) {
    return jdbc.query(
        """
        select h.id, h.zone, h.allocatable_milli_cpu, h.allocatable_memory_mib,
               %s as schedulable,
               coalesce(sum(p.milli_cpu) filter (where p.group_id is distinct from ?), 0) as reserved_cpu,
               coalesce(sum(p.memory_mib) filter (where p.group_id is distinct from ?), 0) as reserved_memory
          from hosts h left join placements p on p.host_id = h.id
         group by h.id order by h.id"""
            .formatted(SCHEDULABLE),
        (rs, n) ->
            new HostCapacity(
                rs.getString("id"),
                rs.getString("zone"),
                new Resources(
                    rs.getLong("allocatable_milli_cpu"), rs.getLong("allocatable_memory_mib")),
                new Resources(rs.getLong("reserved_cpu"), rs.getLong("reserved_memory")),
                rs.getBoolean("schedulable")),
        groupId,
        groupId);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The host's row is locked while it is checked; a host that cannot take the group is let go
   * again at once (its lock is taken under a savepoint that is rolled back), so a placement only
   * ever holds the lock of the host it chose. Two placements trying hosts in different orders
   * therefore never wait on each other in a cycle.
   */
  @Override
  public Optional<Placement> tryReserve(
      UUID groupId, String hostId, Resources demand, List<PublishedPort> ports) {
    jdbc.execute("savepoint berth_reserve");
    Optional<Placement> placed = reserve(groupId, hostId, demand, ports);
    jdbc.execute(
        placed.isPresent()
            ? "release savepoint berth_reserve"
            : "rollback to savepoint berth_reserve");
    return placed;
  }

  private Optional<Placement> reserve(
      UUID groupId, String hostId, Resources demand, List<PublishedPort> ports) {
    List<Map.Entry<Resources, String>> host =
        jdbc.query(
            """
            select allocatable_milli_cpu, allocatable_memory_mib, publish_addresses
              from hosts h where id = ? and %s for update"""
                .formatted(SCHEDULABLE),
            (rs, n) -> Map.entry(new Resources(rs.getLong(1), rs.getLong(2)), rs.getString(3)),
            hostId);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    Resources reserved =
        jdbc.queryForObject(
            "select coalesce(sum(milli_cpu), 0), coalesce(sum(memory_mib), 0) from placements where host_id = ? and group_id <> ?",
            (rs, n) -> new Resources(rs.getLong(1), rs.getLong(2)),
            hostId,
            groupId);
    if (!demand.fitsIn(host.get(0).getKey().minus(reserved))) {
      return Optional.empty();
    }
    String address = null;
    if (!ports.isEmpty()) {
      address = freeAddress(groupId, hostId, host.get(0).getValue(), ports).orElse(null);
      if (address == null) {
        return Optional.empty();
      }
    }
    jdbc.update("delete from published_ports where group_id = ?", groupId);
    for (PublishedPort port : ports) {
      jdbc.update(
          "insert into published_ports (host_id, address, port, protocol, group_id) values (?, ?, ?, ?, ?)",
          hostId,
          address,
          port.port(),
          port.protocol(),
          groupId);
    }
    jdbc.update(
        """
        insert into placements (group_id, host_id, milli_cpu, memory_mib, address) values (?, ?, ?, ?, ?)
        on conflict (group_id) do update set host_id = excluded.host_id, milli_cpu = excluded.milli_cpu,
            memory_mib = excluded.memory_mib, address = excluded.address""",
        groupId,
        hostId,
        demand.milliCpu(),
        demand.memoryMiB(),
        address);
    return Optional.of(new Placement(hostId, address));
  }

  /** The first of the host's addresses on which no other group publishes any of {@code ports}. */
  private Optional<String> freeAddress(
      UUID groupId, String hostId, String addresses, List<PublishedPort> ports) {
    // One read of what other groups hold on this host (the host's row is locked meanwhile).
    java.util.Set<String> taken =
        new java.util.HashSet<>(
            jdbc.query(
                "select address, port, protocol from published_ports where host_id = ? and group_id <> ?",
                (rs, n) -> rs.getString(1) + " " + rs.getInt(2) + "/" + rs.getString(3),
                hostId,
                groupId));
    for (String address : addresses.split(",")) {
      String candidate = address.trim();
      if (ports.stream()
          .noneMatch(p -> taken.contains(candidate + " " + p.port() + "/" + p.protocol()))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean isHeld(UUID groupId) {
    return !jdbc.queryForList("select 1 from placements where group_id = ?", Integer.class, groupId)
        .isEmpty();
  }

  @Override
  public void release(UUID groupId) {
    jdbc.update("delete from published_ports where group_id = ?", groupId);
    jdbc.update("delete from placements where group_id = ?", groupId);
  }
}
