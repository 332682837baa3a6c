package dev.berth.service.persistence;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link ContainerGroupStore} on PostgreSQL: desired state through JPA (with a version column),
 * observed state through plain SQL so that a status write can be conditional on the status it was
 * computed from.
 */
public class JpaContainerGroupStore
    implements ContainerGroupStore,
        dev.berth.service.containergroup.GroupEventStream,
        dev.berth.service.containergroup.SubscriptionEventStream {

  private final ContainerGroupRows rows;
  private final JdbcTemplate jdbc;
  private final StoredJson json;
  private final Clock clock;

  JpaContainerGroupStore(ContainerGroupRows rows, JdbcTemplate jdbc, StoredJson json, Clock clock) {
    this.rows = rows;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  public static JpaContainerGroupStore create(
      ContainerGroupRows rows, JdbcTemplate jdbc, SecretCipher cipher, Clock clock) {
    return new JpaContainerGroupStore(rows, jdbc, new StoredJson(cipher), clock);
  }

  /**
   * A group's row as the domain reads it; by plain JDBC, a sixth of what loading the entity cost.
   */
  private static final String GROUP =
      """
      select id, subscription_id, resource_group, name, location, tags, spec, generation,
             desired_state, resource_document, created_at, restart_epoch, version
        from container_groups
      """;

  private ContainerGroup groupRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new ContainerGroup(
        rs.getObject("id", UUID.class),
        new GroupKey(
            rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name")),
        rs.getString("location"),
        json.tags(rs.getString("tags")),
        json.spec(rs.getString("spec")),
        rs.getLong("generation"),
        DesiredState.valueOf(rs.getString("desired_state")),
        rs.getString("resource_document"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getLong("restart_epoch"));
  }

  @Override
  public Optional<ContainerGroup> find(GroupKey key) {
    // A derived JPA query built its criteria again on every call: a quarter of a PUT's CPU.
    return jdbc
        .query(
            GROUP + " where subscription_id = ? and resource_group = ? and name = ?",
            this::groupRow,
            key.subscriptionId(),
            key.resourceGroup(),
            key.name())
        .stream()
        .findFirst();
  }

  @Override
  public Optional<ContainerGroup> findById(UUID id) {
    // Every reconcile pass starts here.
    return jdbc.query(GROUP + " where id = ?", this::groupRow, id).stream().findFirst();
  }

  @Override
  public Optional<GroupStatus> status(UUID id) {
    return jdbc.query("select * from group_status where group_id = ?", this::statusRow, id).stream()
        .findFirst();
  }

  @Override
  public java.util.Map<UUID, GroupStatus> statuses(java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<UUID, GroupStatus> byId = new java.util.HashMap<>();
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement("select * from group_status where group_id = any(?)");
          statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          GroupStatus status = statusRow(rs, 0);
          byId.put(status.groupId(), status);
        });
    return byId;
  }

  @Override
  public java.util.Map<UUID, Placed> placed(java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<UUID, Placed> byId = new java.util.HashMap<>();
    // One statement, so the generation and the host are read from one snapshot.
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  select g.id, g.generation, s.host_id
                    from container_groups g left join group_status s on s.group_id = g.id
                   where g.id = any(?)""");
          statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          byId.put(
              rs.getObject("id", UUID.class),
              new Placed(rs.getString("host_id"), rs.getLong("generation")));
        });
    return byId;
  }

  private GroupStatus statusRow(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new GroupStatus(
        rs.getObject("group_id", UUID.class),
        rs.getLong("observed_generation"),
        ProvisioningState.valueOf(rs.getString("provisioning_state")),
        GroupState.valueOf(rs.getString("state")),
        rs.getString("host_id"),
        rs.getString("ip_address"),
        json.containers(rs.getString("containers")),
        json.events(rs.getString("events")),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getLong("applied_restart_epoch"),
        json.containers(rs.getString("init_containers")));
  }

  @Override
  public RevisionPage revisions(
      String subscriptionId, String resourceGroup, String after, int limit) {
    String afterGroup = "";
    String afterName = "";
    if (after != null && after.contains("/")) {
      afterGroup = after.substring(0, after.lastIndexOf('/'));
      afterName = after.substring(after.lastIndexOf('/') + 1);
    }
    String select =
        """
        select g.id, g.resource_group, g.name, g.version, s.updated_at
          from container_groups g left join group_status s on s.group_id = g.id
        """;
    org.springframework.jdbc.core.RowMapper<PageRow> row =
        (rs, n) ->
            new PageRow(
                revisionRow(rs), rs.getString("resource_group") + "/" + rs.getString("name"));
    // Keyset paging on the unique key's index: no OFFSET, nothing read past the page.
    List<PageRow> page =
        resourceGroup == null
            ? jdbc.query(
                select
                    + """
                     where g.subscription_id = ? and (g.resource_group, g.name) > (?, ?)
                     order by g.resource_group, g.name limit ?""",
                row,
                subscriptionId,
                afterGroup,
                afterName,
                limit + 1)
            : jdbc.query(
                select
                    + """
                     where g.subscription_id = ? and g.resource_group = ? and g.name > ?
                     order by g.name limit ?""",
                row,
                subscriptionId,
                resourceGroup,
                resourceGroup.equals(afterGroup) ? afterName : "",
                limit + 1);
    List<Revision> revisions = page.stream().limit(limit).map(PageRow::revision).toList();
    return new RevisionPage(revisions, page.size() > limit ? page.get(limit - 1).key() : null);
  }

  /** A row of a page: the group's revision and its key as the next page's token names it. */
  private record PageRow(Revision revision, String key) {}

  @Override
  public Optional<Revision> revision(GroupKey key) {
    return jdbc
        .query(
            """
            select g.id, g.version, s.updated_at
              from container_groups g left join group_status s on s.group_id = g.id
             where g.subscription_id = ? and g.resource_group = ? and g.name = ?""",
            (rs, n) -> revisionRow(rs),
            key.subscriptionId(),
            key.resourceGroup(),
            key.name())
        .stream()
        .findFirst();
  }

  private static Revision revisionRow(java.sql.ResultSet rs) throws java.sql.SQLException {
    Timestamp token = rs.getTimestamp("updated_at");
    return new Revision(
        rs.getObject("id", UUID.class),
        rs.getLong("version"),
        token == null ? null : token.toInstant());
  }

  @Override
  @Transactional(readOnly = true)
  public java.util.Map<UUID, Current> current(java.util.Collection<UUID> ids) {
    java.util.Map<UUID, GroupStatus> statuses = statuses(ids);
    java.util.Map<UUID, Current> byId = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return byId;
    }
    jdbc.query(
        connection -> {
          var statement = connection.prepareStatement(GROUP + " where id = any(?)");
          statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          ContainerGroup group = groupRow(rs, 0);
          GroupStatus status = statuses.get(group.id());
          byId.put(
              group.id(),
              new Current(
                  group,
                  status,
                  new Revision(
                      group.id(),
                      rs.getLong("version"),
                      status == null ? null : status.updatedAt())));
        });
    return byId;
  }

  @Override
  @Transactional
  public void insert(ContainerGroup group, GroupStatus status) {
    ContainerGroupRow row = new ContainerGroupRow();
    row.id = group.id();
    write(row, group);
    rows.saveAndFlush(row);
    resetStatus(status);
  }

  @Override
  @Transactional
  public void update(ContainerGroup group) {
    ContainerGroupRow row = rows.findById(group.id()).orElseThrow();
    write(row, group);
    rows.saveAndFlush(row);
  }

  @Override
  @Transactional
  public void saveStatus(GroupStatus status, GroupStatus basedOn) {
    int updated =
        jdbc.update(
            """
        update group_status set observed_generation = ?, provisioning_state = ?, state = ?, host_id = ?, ip_address = ?,
               containers = ?, events = ?, updated_at = ?, applied_restart_epoch = ?, init_containers = ?
         where group_id = ? and updated_at = ?""",
            status.observedGeneration(),
            status.provisioningState().name(),
            status.state().name(),
            status.hostId(),
            status.ipAddress(),
            json.containers(status.containers()),
            json.events(status.events()),
            nextToken(basedOn.updatedAt()),
            status.appliedRestartEpoch(),
            json.containers(status.initContainers()),
            status.groupId(),
            Timestamp.from(basedOn.updatedAt()));
    if (updated != 1) {
      throw new StaleStatusException(status.groupId());
    }
    appendStreamEvents(
        status.groupId(),
        dev.berth.service.containergroup.StreamEvent.between(basedOn, status, clock.instant()));
  }

  /**
   * Numbers and keeps what followers see, in the transaction of the status that shows it. The
   * status row's lock (taken by the update above) serializes this per group, so the numbers are
   * gap-free and in commit order.
   */
  private void appendStreamEvents(
      UUID groupId, List<dev.berth.service.containergroup.StreamEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    // The group's previous event, read once: the next number follows its number, and the
    // subscription's order key (xid) is this transaction's id but never below its key (a
    // transaction may have taken its id before it waited for the status row's lock), so each
    // group's events keep their own order in the subscription's stream too.
    List<Object[]> previous =
        jdbc.query(
            "select seq, xid::text as xid from group_events where group_id = ?"
                + " order by seq desc limit 1",
            (rs, n) -> new Object[] {rs.getLong("seq"), rs.getString("xid")},
            groupId);
    long first = previous.isEmpty() ? 1 : (long) previous.get(0)[0] + 1;
    String floor = previous.isEmpty() ? "0" : (String) previous.get(0)[1];
    // One round trip for all of a status's events: a launch saves several on the hot path.
    List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      var event = events.get(i);
      rows.add(
          new Object[] {
            first + i, Timestamp.from(event.at()), json.streamEvent(event), floor, groupId
          });
    }
    jdbc.batchUpdate(
        "insert into group_events (group_id, seq, subscription_id, resource_group, group_name,"
            + " at, body, xid) select g.id, ?, g.subscription_id, g.resource_group, g.name, ?, ?,"
            + " greatest(pg_current_xact_id(), ?::xid8) from container_groups g where g.id = ?",
        rows);
  }

  @Override
  public Optional<GroupState> stateOf(UUID groupId) {
    return jdbc
        .query(
            "select state from group_status where group_id = ?",
            (rs, n) -> GroupState.valueOf(rs.getString("state")),
            groupId)
        .stream()
        .findFirst();
  }

  @Override
  @Transactional(readOnly = true)
  public List<Numbered> after(UUID groupId, long afterSeq, int limit) {
    return jdbc.query(
        "select seq, body from group_events where group_id = ? and seq > ? order by seq limit ?",
        (rs, n) -> new Numbered(rs.getLong("seq"), json.streamEvent(rs.getString("body"))),
        groupId,
        afterSeq,
        limit);
  }

  @Override
  public java.util.Map<UUID, Followed> followed(java.util.Map<UUID, Long> afterSeq, int limit) {
    java.util.Map<UUID, Followed> followed = new java.util.HashMap<>();
    if (afterSeq.isEmpty()) {
      return followed;
    }
    UUID[] ids = afterSeq.keySet().toArray(UUID[]::new);
    Long[] seqs = java.util.Arrays.stream(ids).map(afterSeq::get).toArray(Long[]::new);
    java.util.Map<UUID, GroupState> states = new java.util.HashMap<>();
    // The states first, then the events: an event saved before a state is read with the events.
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select group_id, state from group_status where group_id = any(?)");
          statement.setArray(1, connection.createArrayOf("uuid", ids));
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          states.put(
              rs.getObject("group_id", UUID.class), GroupState.valueOf(rs.getString("state")));
        });
    java.util.Map<UUID, List<Numbered>> events = new java.util.HashMap<>();
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  select f.group_id, e.seq, e.body
                    from unnest(?, ?) as f(group_id, after_seq)
                    cross join lateral (
                      select seq, body from group_events
                       where group_id = f.group_id and seq > f.after_seq order by seq limit ?) e
                   order by f.group_id, e.seq""");
          statement.setArray(1, connection.createArrayOf("uuid", ids));
          statement.setArray(2, connection.createArrayOf("int8", seqs));
          statement.setInt(3, limit);
          return statement;
        },
        (java.sql.ResultSet rs) -> {
          events
              .computeIfAbsent(
                  rs.getObject("group_id", UUID.class), g -> new java.util.ArrayList<>())
              .add(new Numbered(rs.getLong("seq"), json.streamEvent(rs.getString("body"))));
        });
    for (UUID id : ids) {
      followed.put(
          id,
          new Followed(Optional.ofNullable(states.get(id)), events.getOrDefault(id, List.of())));
    }
    return followed;
  }

  /** Events whose transaction id is below this statement's snapshot's xmin: no more can come. */
  private static final String FINAL = " xid < pg_snapshot_xmin(pg_current_snapshot())";

  private static final String PLACED =
      "select xid::text as xid, group_id, seq, subscription_id, resource_group, group_name, body"
          + " from group_events where";

  private static final String ORDERED = " order by xid, group_id, seq limit ?";

  private Streamed placed(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Streamed(
        new Position(
            Long.parseUnsignedLong(rs.getString("xid")),
            rs.getObject("group_id", UUID.class),
            rs.getLong("seq")),
        rs.getString("subscription_id"),
        rs.getString("resource_group"),
        rs.getString("group_name"),
        json.streamEvent(rs.getString("body")));
  }

  @Override
  public List<Streamed> after(Position after, int limit) {
    return jdbc.query(
        PLACED + FINAL + " and (xid, group_id, seq) > (?::xid8, ?, ?)" + ORDERED,
        (rs, n) -> placed(rs),
        Long.toUnsignedString(after.xid()),
        after.groupId(),
        after.seq(),
        limit);
  }

  @Override
  public List<Streamed> after(String subscriptionId, Position after, Position through, int limit) {
    if (through == null) {
      return jdbc.query(
          PLACED
              + " subscription_id = ? and"
              + FINAL
              + " and (xid, group_id, seq) > (?::xid8, ?, ?)"
              + ORDERED,
          (rs, n) -> placed(rs),
          subscriptionId,
          Long.toUnsignedString(after.xid()),
          after.groupId(),
          after.seq(),
          limit);
    }
    return jdbc.query(
        PLACED
            + " subscription_id = ? and (xid, group_id, seq) > (?::xid8, ?, ?)"
            + " and (xid, group_id, seq) <= (?::xid8, ?, ?)"
            + ORDERED,
        (rs, n) -> placed(rs),
        subscriptionId,
        Long.toUnsignedString(after.xid()),
        after.groupId(),
        after.seq(),
        Long.toUnsignedString(through.xid()),
        through.groupId(),
        through.seq(),
        limit);
  }

  @Override
  public Position end() {
    return jdbc
        .query(
            "select xid::text as xid, group_id, seq from group_events where"
                + FINAL
                + " order by xid desc, group_id desc, seq desc limit 1",
            (rs, n) ->
                new Position(
                    Long.parseUnsignedLong(rs.getString("xid")),
                    rs.getObject("group_id", UUID.class),
                    rs.getLong("seq")))
        .stream()
        .findFirst()
        .orElse(Position.START);
  }

  /** A new concurrency token: now, but always later than the one it replaces. */
  private Timestamp nextToken(Instant previous) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant floor = previous.plus(1, ChronoUnit.MICROS);
    return Timestamp.from(now.isAfter(floor) ? now : floor);
  }

  @Override
  @Transactional
  public void resetStatus(GroupStatus status) {
    // What followers saw last, locked as saveStatus locks it, so the reset's own events (the group
    // back to Pending, its containers waiting again) are numbered after it, in commit order.
    GroupStatus before =
        jdbc
            .query(
                "select * from group_status where group_id = ? for update",
                this::statusRow,
                status.groupId())
            .stream()
            .findFirst()
            .orElse(null);
    jdbc.update(
        """
        insert into group_status (group_id, observed_generation, provisioning_state, state, host_id, ip_address,
            containers, events, updated_at, applied_restart_epoch, init_containers)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (group_id) do update set observed_generation = excluded.observed_generation,
            provisioning_state = excluded.provisioning_state, state = excluded.state, host_id = excluded.host_id,
            ip_address = excluded.ip_address,
            containers = excluded.containers, events = excluded.events,
            applied_restart_epoch = excluded.applied_restart_epoch,
            init_containers = excluded.init_containers,
            updated_at = greatest(excluded.updated_at, group_status.updated_at + interval '1 microsecond')""",
        status.groupId(),
        status.observedGeneration(),
        status.provisioningState().name(),
        status.state().name(),
        status.hostId(),
        status.ipAddress(),
        json.containers(status.containers()),
        json.events(status.events()),
        Timestamp.from(status.updatedAt().truncatedTo(ChronoUnit.MICROS)),
        status.appliedRestartEpoch(),
        json.containers(status.initContainers()));
    if (before != null) {
      appendStreamEvents(
          status.groupId(),
          dev.berth.service.containergroup.StreamEvent.between(before, status, clock.instant()));
    }
  }

  @Override
  @Transactional
  public void delete(UUID id) {
    // group_status and placements go with it (on delete cascade).
    rows.deleteById(id);
    rows.flush();
  }

  @Override
  public List<Expected> expectedOn(String hostId) {
    // The containers' ids and states are taken out of the stored JSON by PostgreSQL, so a sweep
    // parses nothing per group here; and only for the groups that expect something on the host:
    // whether a status names a container or a restart (sweep_quiet) was worked out when it was
    // written, so a group at rest with neither costs the sweep a few column comparisons.
    String atRest =
        """
        g.generation = s.observed_generation
          and g.restart_epoch = s.applied_restart_epoch
          and g.desired_state <> 'DELETED'
          and s.provisioning_state in ('SUCCEEDED', 'FAILED')
          and (g.desired_state = 'RUNNING' or s.state = 'STOPPED')""";
    return jdbc.query(
        "select s.group_id, ("
            + atRest
            + """
        ) as at_rest,
               (select coalesce(array_agg((c ->> 'containerId') || '='
                                          || (c -> 'currentState' ->> 'state')), '{}')
                  from jsonb_array_elements(s.containers::jsonb || s.init_containers::jsonb) c
                 where c ->> 'containerId' is not null) as running,
               (select min((c ->> 'restartAt')::timestamptz)
                  from jsonb_array_elements(s.containers::jsonb) c) as restart_at
          from group_status s join container_groups g on g.id = s.group_id
         where s.host_id = ?"""
            + " and not (s.sweep_quiet and ("
            + atRest
            + "))",
        (rs, n) -> {
          java.util.Map<String, Boolean> running = new java.util.HashMap<>();
          for (String entry : (String[]) rs.getArray("running").getArray()) {
            int eq = entry.lastIndexOf('=');
            running.put(entry.substring(0, eq), "RUNNING".equals(entry.substring(eq + 1)));
          }
          Timestamp restartAt = rs.getTimestamp("restart_at");
          return new Expected(
              rs.getObject("group_id", UUID.class),
              rs.getBoolean("at_rest"),
              running,
              restartAt == null ? null : restartAt.toInstant());
        },
        hostId);
  }

  @Override
  public List<UUID> idsOn(java.util.Collection<String> hostIds, boolean unplaced) {
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select group_id from group_status where host_id = any(?) or (? and host_id is null)");
          statement.setArray(1, connection.createArrayOf("text", hostIds.toArray()));
          statement.setBoolean(2, unplaced);
          return statement;
        },
        (rs, n) -> rs.getObject(1, UUID.class));
  }

  @Override
  public java.util.Set<String> imagesOn(String hostId) {
    // Read out of the stored specs by PostgreSQL in one query: loading and parsing each group
    // cost a second of CPU a minute at 10,000 groups.
    return new java.util.HashSet<>(
        jdbc.queryForList(
            """
            select distinct c ->> 'image'
              from group_status s join container_groups g on g.id = s.group_id,
                   jsonb_array_elements(coalesce(g.spec::jsonb -> 'containers', '[]'::jsonb)
                       || coalesce(g.spec::jsonb -> 'initContainers', '[]'::jsonb)) c
             where s.host_id = ? and c ->> 'image' is not null""",
            String.class,
            hostId));
  }

  private void write(ContainerGroupRow row, ContainerGroup group) {
    row.subscriptionId = group.key().subscriptionId();
    row.resourceGroup = group.key().resourceGroup();
    row.name = group.key().name();
    row.location = group.location();
    row.tags = json.tags(group.tags());
    row.spec = json.spec(group.spec());
    row.generation = group.generation();
    row.desiredState = group.desiredState().name();
    row.resourceDocument = group.resourceDocument();
    row.createdAt = group.createdAt();
    row.updatedAt = clock.instant();
    row.restartEpoch = group.restartEpoch();
  }
}
