package dev.berth.billing.persistence;

import static dev.berth.billing.persistence.Sql.ts;

import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.RunCheck;
import dev.berth.billing.metering.RunChecks;
import dev.berth.billing.metering.RunObservation;
import dev.berth.billing.metering.UsageLedger;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.UsageSegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger in PostgreSQL. Its guarantees do not rest on this code alone: segments are immutable
 * (a trigger), a second cannot be in two segments of a group (an exclusion constraint), a retried
 * segment is absorbed (deterministic primary key), and the cursor moves in the transaction that
 * writes the segments it covers, only from where the meter found it (a compare-and-set).
 */
public final class JdbcUsageLedger implements UsageLedger, RunChecks {

  private static final Logger log = Logger.getLogger(JdbcUsageLedger.class.getName());

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public JdbcUsageLedger(JdbcTemplate jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public void record(RunObservation o) {
    tx.executeWithoutResult(
        status -> {
          // Older generations' containers were removed before this one's started.
          Instant replacedAt =
              o.startedAt() != null && o.startedAt().isBefore(o.observedAt())
                  ? o.startedAt()
                  : o.observedAt();
          if (o.generation() > 1) {
            end(
                "group_id = ? and generation < ?",
                replacedAt,
                "REPLACED",
                "BERTH",
                o.groupId(),
                o.generation());
          }
          if (o.startedAt() == null) {
            return;
          }
          jdbc.update(
              "insert into usage_runs (run_id, group_id, subscription_id, resource_group,"
                  + " group_name, generation, host_id, milli_cpu, memory_mib, started_at,"
                  + " start_second, billed_through)"
                  + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, s, s from (select greatest("
                  + "date_trunc('second', ?::timestamptz), coalesce((select max(end_second) from"
                  + " usage_runs where group_id = ?), '-infinity')) as s) first_second"
                  + " on conflict do nothing",
              o.runId(),
              o.groupId(),
              o.subscriptionId(),
              o.resourceGroup(),
              o.groupName(),
              o.generation(),
              o.hostId(),
              o.milliCpu(),
              o.memoryMiB(),
              ts(o.startedAt()),
              ts(o.startedAt()),
              o.groupId());
          if (o.endedAt() != null) {
            end("run_id = ?", o.endedAt(), o.endReason().name(), "ENGINE", o.runId());
          }
        });
  }

  /** Ends the open runs {@code where} says, never before their start or their cursor. */
  private void end(String where, Instant at, String reason, String source, Object... args) {
    Object[] all = new Object[4 + args.length];
    all[0] = ts(at);
    all[1] = ts(at);
    all[2] = reason;
    all[3] = source;
    System.arraycopy(args, 0, all, 4, args.length);
    jdbc.update(
        "update usage_runs set ended_at = greatest(?::timestamptz, started_at),"
            + " end_second = greatest(date_trunc('second', ?::timestamptz), start_second,"
            + " billed_through), end_reason = ?, end_source = ?"
            + " where ended_at is null and "
            + where,
        all);
  }

  @Override
  public void confirmed(java.util.Map<UUID, Instant> heldAt) {
    if (heldAt.isEmpty()) {
      return;
    }
    // In the order the meter locks rows (PostgreSQL's uuid order), so a flush and a metering batch
    // that touch the same runs never wait for each other in a cycle.
    List<Object[]> rows =
        heldAt.entrySet().stream()
            .sorted(
                java.util.Map.Entry.comparingByKey(
                    java.util.Comparator.comparing(
                            (UUID id) -> id.getMostSignificantBits(), Long::compareUnsigned)
                        .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned)))
            .map(e -> new Object[] {ts(e.getValue()), e.getKey()})
            .toList();
    tx.executeWithoutResult(
        status ->
            jdbc.batchUpdate(
                "update usage_runs set confirmed_at = greatest(confirmed_at, ?::timestamptz)"
                    + " where run_id = ? and ended_at is null",
                rows));
  }

  @Override
  public void groupDeleted(UUID groupId, Instant at) {
    tx.executeWithoutResult(status -> end("group_id = ?", at, "DELETED", "BERTH", groupId));
  }

  @Override
  public List<UsageRun> dueRuns(
      Instant boundary, java.util.Set<String> silentHosts, UUID afterRunId, int limit) {
    return jdbc.query(
        "select "
            + Sql.RUN_COLUMNS
            + " from usage_runs where not closed and (billed_through < ? or end_second is not null"
            + " or fault_since is not null or host_id = any (?)) and run_id > ?"
            + " order by run_id limit ?",
        Sql::run,
        ts(boundary),
        silentHosts.toArray(String[]::new),
        afterRunId == null
            ? new UUID(0, 0)
            : afterRunId, // PostgreSQL orders uuids as unsigned bytes
        limit);
  }

  @Override
  public int apply(List<Meter.Advance> advances) {
    try {
      return tx.execute(status -> write(advances));
    } catch (DataAccessException batchFailed) {
      // One run's failure must not hold up the others: each is tried alone, and one that still
      // fails is logged and left where it was.
      int applied = 0;
      for (Meter.Advance advance : advances) {
        try {
          applied += tx.execute(status -> write(List.of(advance)));
        } catch (DataAccessException e) {
          log.log(
              Level.WARNING,
              "metering run " + advance.before().runId() + " failed; it is retried next tick",
              e);
        }
      }
      return applied;
    }
  }

  private int write(List<Meter.Advance> advances) {
    List<Object[]> moves = new ArrayList<>();
    for (Meter.Advance a : advances) {
      UsageRun to = a.run();
      UsageRun from = a.before();
      moves.add(
          new Object[] {
            ts(to.billedThrough()),
            ts(to.faultSince()),
            ts(to.billedThrough()),
            from.runId(),
            ts(from.billedThrough()),
            ts(from.faultSince())
          });
    }
    int[] moved =
        jdbc.batchUpdate(
            "update usage_runs set billed_through = ?, fault_since = ?,"
                + " closed = (end_second is not null and end_second = ?)"
                + " where run_id = ? and billed_through = ?"
                + " and fault_since is not distinct from ?::timestamptz",
            moves);
    List<Object[]> rows = new ArrayList<>();
    int applied = 0;
    for (int i = 0; i < moved.length; i++) {
      if (moved[i] != 1) {
        continue; // someone else moved this cursor: this advance is stale and is dropped whole
      }
      applied++;
      for (UsageSegment s : advances.get(i).segments()) {
        UsageRun run = advances.get(i).run();
        rows.add(
            new Object[] {
              s.id(),
              s.runId(),
              s.groupId(),
              run.subscriptionId(),
              ts(s.start()),
              ts(s.end()),
              ts(s.start()),
              s.billable(),
              s.reason().name(),
              s.milliCpuSeconds(),
              s.mibSeconds()
            });
      }
    }
    if (!rows.isEmpty()) {
      // Each insert adds to its subscription's row of billing_totals for its billability (a
      // trigger): taking those row locks in one order keeps two batches from deadlocking on them.
      rows.sort(
          java.util.Comparator.<Object[], String>comparing(r -> (String) r[3])
              .thenComparing(r -> (Boolean) r[7]));
      jdbc.batchUpdate(
          "insert into usage_segments (segment_id, run_id, group_id, subscription_id, period,"
              + " start_at, billable, reason, milli_cpu_seconds, mib_seconds)"
              + " values (?, ?, ?, ?, tstzrange(?, ?, '[)'), ?, ?, ?, ?, ?)"
              + " on conflict (segment_id) do nothing",
          rows);
    }
    return applied;
  }

  @Override
  public List<Unchecked> unchecked(int limit) {
    return jdbc.query(
        "select "
            + "r.*"
            + ", coalesce(sum(extract(epoch from upper(s.period) - lower(s.period))), 0)::bigint"
            + " as metered, coalesce(sum(extract(epoch from upper(s.period) - lower(s.period)))"
            + " filter (where s.billable), 0)::bigint as billed"
            + " from usage_runs r left join usage_segments s on s.run_id = r.run_id"
            + " where r.closed and not exists (select 1 from usage_run_checks c"
            + " where c.run_id = r.run_id)"
            + " group by r.run_id limit ?",
        (rs, i) -> new Unchecked(Sql.run(rs, i), rs.getLong("metered"), rs.getLong("billed")),
        limit);
  }

  @Override
  public void record(List<RunCheck> checks) {
    jdbc.batchUpdate(
        "insert into usage_run_checks (run_id, metered_seconds, billed_seconds, engine_millis,"
            + " matches, detail, checked_at) values (?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (run_id) do nothing",
        checks.stream()
            .map(
                c ->
                    new Object[] {
                      c.runId(),
                      c.meteredSeconds(),
                      c.billedSeconds(),
                      c.engineMillis(),
                      c.matches(),
                      c.detail(),
                      ts(c.checkedAt())
                    })
            .toList());
  }

  @Override
  public List<RunCheck> mismatches(String subscriptionId, int limit) {
    return jdbc.query(
        "select c.* from usage_run_checks c join usage_runs r on r.run_id = c.run_id"
            + " where not c.matches and (?::text is null or r.subscription_id = ?)"
            + " order by c.checked_at desc limit ?",
        (rs, i) ->
            new RunCheck(
                rs.getObject("run_id", UUID.class),
                rs.getLong("metered_seconds"),
                rs.getLong("billed_seconds"),
                rs.getLong("engine_millis"),
                rs.getBoolean("matches"),
                rs.getString("detail"),
                Sql.instant(rs, "checked_at")),
        subscriptionId,
        subscriptionId,
        limit);
  }

  @Override
  public long checkedCount(String subscriptionId) {
    return count("true", subscriptionId);
  }

  @Override
  public long mismatchCount(String subscriptionId) {
    return count("not c.matches", subscriptionId);
  }

  private long count(String condition, String subscriptionId) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from usage_run_checks c join usage_runs r on r.run_id = c.run_id"
                + " where "
                + condition
                + " and (?::text is null or r.subscription_id = ?)",
            Long.class,
            subscriptionId,
            subscriptionId);
    return n == null ? 0 : n;
  }
}
