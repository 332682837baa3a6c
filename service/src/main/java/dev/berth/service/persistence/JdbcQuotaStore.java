package dev.berth.service.persistence;

import dev.berth.service.quota.QuotaStore;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Quota overrides in {@code subscription_quotas}, with the use that triggers on {@code
 * container_groups} keep there in the transaction of every change (each container's
 * requests.milliCpu in the stored spec), so it cannot drift from the groups that exist.
 */
public class JdbcQuotaStore implements QuotaStore {

  private final JdbcTemplate jdbc;

  public JdbcQuotaStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Overrides overrides(String subscriptionId) {
    return jdbc
        .query(
            "select container_groups, standard_cores from subscription_quotas where subscription_id = ?",
            (rs, i) ->
                new Overrides(
                    (Integer) rs.getObject("container_groups"),
                    (Integer) rs.getObject("standard_cores")),
            subscriptionId)
        .stream()
        .findFirst()
        .orElse(Overrides.NONE);
  }

  @Override
  public Overrides lockForAdmission(String subscriptionId) {
    // A concurrent first admission of the subscription waits on the primary key until the other
    // transaction ends, then finds the row; after that everyone queues on the row lock.
    jdbc.update(
        "insert into subscription_quotas (subscription_id) values (?) on conflict do nothing",
        subscriptionId);
    return jdbc.queryForObject(
        "select container_groups, standard_cores from subscription_quotas"
            + " where subscription_id = ? for update",
        (rs, i) ->
            new Overrides(
                (Integer) rs.getObject("container_groups"),
                (Integer) rs.getObject("standard_cores")),
        subscriptionId);
  }

  @Override
  public Use use(String subscriptionId, UUID excluding) {
    // Read committed: this statement's snapshot is taken after the row lock was granted, so it sees
    // the figures a transaction admitted before us committed. The figures are kept by triggers on
    // container_groups (V16); the excluded group (one being replaced) is taken off them.
    return jdbc
        .query(
            "select q.used_groups - count(g.id) as groups,"
                + " q.used_milli_cpu - coalesce(sum(berth_spec_milli_cpu(g.spec)), 0) as milli_cpu"
                + " from subscription_quotas q left join container_groups g"
                + " on g.id = cast(? as uuid) and g.subscription_id = q.subscription_id"
                + " and g.desired_state <> 'DELETED'"
                + " where q.subscription_id = ?"
                + " group by q.used_groups, q.used_milli_cpu",
            (rs, i) -> new Use(rs.getLong("groups"), rs.getLong("milli_cpu")),
            excluding,
            subscriptionId)
        .stream()
        .findFirst()
        .orElse(new Use(0, 0));
  }

  @Override
  public void saveOverrides(String subscriptionId, Overrides overrides) {
    jdbc.update(
        "insert into subscription_quotas (subscription_id, container_groups, standard_cores)"
            + " values (?, ?, ?) on conflict (subscription_id) do update set"
            + " container_groups = excluded.container_groups,"
            + " standard_cores = excluded.standard_cores, updated_at = now()",
        subscriptionId,
        overrides.containerGroups(),
        overrides.standardCores());
  }
}
