package dev.berth.service.persistence;

import dev.berth.service.quota.QuotaStore;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Quota overrides in {@code subscription_quotas}; use counted from {@code container_groups} (each
 * container's requests.milliCpu in the stored spec), so it cannot drift from the groups that exist.
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
    // the group a transaction admitted before us committed.
    return jdbc.queryForObject(
        "select count(*) as groups,"
            + " coalesce(sum((select coalesce(sum((c -> 'requests' ->> 'milliCpu')::bigint), 0)"
            + "   from jsonb_array_elements(g.spec::jsonb -> 'containers') c)), 0) as milli_cpu"
            + " from container_groups g"
            + " where g.subscription_id = ? and g.desired_state <> 'DELETED'"
            + " and g.id is distinct from cast(? as uuid)",
        (rs, i) -> new Use(rs.getLong("groups"), rs.getLong("milli_cpu")),
        subscriptionId,
        excluding);
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
