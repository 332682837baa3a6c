package dev.berth.billing.persistence;

import static dev.berth.billing.persistence.Sql.ts;

import dev.berth.billing.api.Granularity;
import dev.berth.billing.api.Quantity;
import dev.berth.billing.api.UsageQueries;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.rating.Price;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** The ledger's read side; sums are taken in PostgreSQL, prices are applied by the caller. */
public final class JdbcUsageQueries
    implements UsageQueries, dev.berth.billing.rating.PriceBookStore {

  /** Joins each segment to the price in force at its start (segments never cross an hour). */
  static final String PRICED =
      " join price_book p on p.currency = ? and s.start_at >= p.valid_from"
          + " and (p.valid_to is null or s.start_at < p.valid_to)";

  static final String SECONDS =
      "sum(extract(epoch from upper(s.period) - lower(s.period)))::bigint";

  private final JdbcTemplate jdbc;
  private final org.springframework.transaction.support.TransactionTemplate tx;
  private final String currency;

  public JdbcUsageQueries(
      JdbcTemplate jdbc,
      org.springframework.transaction.support.TransactionTemplate tx,
      String currency) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.currency = currency;
  }

  @Override
  public List<UsageRun> runsOfGroup(UUID groupId) {
    return jdbc.query(
        "select " + Sql.RUN_COLUMNS + " from usage_runs where group_id = ? order by start_second",
        Sql::run,
        groupId);
  }

  @Override
  public List<UsageRun> runsOfGroupNamed(String subscriptionId, String resourceGroup, String name) {
    return jdbc.query(
        "select "
            + Sql.RUN_COLUMNS
            + " from usage_runs where lower(subscription_id) = lower(?)"
            + " and lower(resource_group) = lower(?) and lower(group_name) = lower(?)"
            + " order by start_second",
        Sql::run,
        subscriptionId,
        resourceGroup,
        name);
  }

  @Override
  public List<SubscriptionTotals> totals() {
    return jdbc.query(
        "select t.subscription_id,"
            + " coalesce(sum(t.seconds) filter (where t.billable), 0) as billed,"
            + " coalesce(sum(t.seconds) filter (where not t.billable), 0) as unbilled,"
            + " coalesce(sum(t.milli_cpu_seconds) filter (where t.billable), 0) as cpu,"
            + " coalesce(sum(t.mib_seconds) filter (where t.billable), 0) as mib,"
            + " coalesce(max(c.cpu_amount), 0) as cpu_amount,"
            + " coalesce(max(c.memory_amount), 0) as memory_amount"
            + " from billing_totals t left join billing_cost_totals c"
            + " on c.subscription_id = t.subscription_id and c.currency = ?"
            + " group by t.subscription_id order by t.subscription_id",
        (rs, i) ->
            new SubscriptionTotals(
                rs.getString("subscription_id"),
                rs.getLong("billed"),
                rs.getLong("unbilled"),
                rs.getLong("cpu"),
                rs.getLong("mib"),
                dev.berth.billing.rating.PriceBook.amounts(
                    rs.getBigDecimal("cpu_amount"), rs.getBigDecimal("memory_amount"), currency)),
        currency);
  }

  @Override
  public List<String> subscriptions() {
    return jdbc.queryForList(
        "select distinct subscription_id from usage_runs order by 1", String.class);
  }

  @Override
  public List<UsageRun> openRuns(String subscriptionId) {
    return jdbc.query(
        "select "
            + Sql.RUN_COLUMNS
            + " from usage_runs where not closed and subscription_id = ? order by start_second",
        Sql::run,
        subscriptionId);
  }

  @Override
  public Map<UUID, List<Quantity>> quantitiesByRun(List<UUID> runIds) {
    Map<UUID, List<Quantity>> result = new HashMap<>();
    if (runIds.isEmpty()) {
      return result;
    }
    jdbc.query(
        "select s.run_id, p.price_id, s.billable, "
            + SECONDS
            + " as seconds, sum(s.milli_cpu_seconds) as mcs, sum(s.mib_seconds) as mibs"
            + " from usage_segments s"
            + PRICED
            + " where s.run_id = any (?) group by s.run_id, p.price_id, s.billable",
        rs -> {
          result
              .computeIfAbsent(rs.getObject("run_id", UUID.class), k -> new java.util.ArrayList<>())
              .add(
                  new Quantity(
                      rs.getObject("price_id", UUID.class),
                      rs.getBoolean("billable"),
                      rs.getLong("seconds"),
                      rs.getLong("mcs"),
                      rs.getLong("mibs")));
        },
        currency,
        runIds.toArray(UUID[]::new));
    return result;
  }

  @Override
  public List<BucketQuantity> bucketed(
      String subscriptionId, Instant from, Instant to, Granularity g) {
    return jdbc.query(
        "select date_trunc('"
            + g.sqlUnit()
            + "', s.start_at, 'UTC') as bucket, r.resource_group, r.group_name, p.price_id, "
            + SECONDS
            + " as seconds, sum(s.milli_cpu_seconds) as mcs, sum(s.mib_seconds) as mibs"
            + " from usage_segments s join usage_runs r on r.run_id = s.run_id"
            + PRICED
            + " where s.subscription_id = ? and s.billable and s.start_at >= ? and s.start_at < ?"
            + " group by 1, 2, 3, 4",
        (rs, i) ->
            new BucketQuantity(
                Sql.instant(rs, "bucket"),
                rs.getString("resource_group"),
                rs.getString("group_name"),
                new Quantity(
                    rs.getObject("price_id", UUID.class),
                    true,
                    rs.getLong("seconds"),
                    rs.getLong("mcs"),
                    rs.getLong("mibs"))),
        currency,
        subscriptionId,
        ts(from),
        ts(to));
  }

  @Override
  public void add(Price price) {
    tx.executeWithoutResult(status -> insert(price));
  }

  private void insert(Price price) {
    jdbc.update(
        "update price_book set valid_to = ? where currency = ? and valid_to is null",
        ts(price.validFrom()),
        price.currency());
    jdbc.update(
        "insert into price_book (price_id, currency, per_vcpu_second, per_gb_second, valid_from)"
            + " values (?, ?, ?, ?, ?)",
        price.id(),
        price.currency(),
        price.perVcpuSecond(),
        price.perGbSecond(),
        ts(price.validFrom()));
  }

  @Override
  public List<Price> prices() {
    return jdbc.query(
        "select * from price_book order by currency, valid_from",
        (rs, i) ->
            new Price(
                rs.getObject("price_id", UUID.class),
                rs.getString("currency"),
                rs.getBigDecimal("per_vcpu_second"),
                rs.getBigDecimal("per_gb_second"),
                Sql.instant(rs, "valid_from"),
                Sql.instant(rs, "valid_to")));
  }
}
