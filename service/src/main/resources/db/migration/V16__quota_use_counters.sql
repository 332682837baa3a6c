-- What a subscription uses (groups that are not being deleted, and the milli-CPUs their containers
-- request) is kept in its subscription_quotas row by triggers on container_groups, in the
-- transaction of every insert, update and delete, so it can no more drift from the groups than a
-- count over them could. Admission then reads one row instead of parsing the spec of every group
-- of the subscription (about 80 ms at 10,000 groups, while the subscription's row lock is held).
create function berth_spec_milli_cpu(spec text) returns bigint
    language sql immutable parallel safe
    return (select coalesce(sum((c -> 'requests' ->> 'milliCpu')::bigint), 0)
              from jsonb_array_elements(spec::jsonb -> 'containers') c);

alter table subscription_quotas
    add column used_groups    bigint not null default 0 check (used_groups >= 0),
    add column used_milli_cpu bigint not null default 0 check (used_milli_cpu >= 0);

create function berth_count_quota_use() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.desired_state <> 'DELETED' then
        update subscription_quotas
           set used_groups = used_groups - 1,
               used_milli_cpu = used_milli_cpu - berth_spec_milli_cpu(old.spec)
         where subscription_id = old.subscription_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.desired_state <> 'DELETED' then
        insert into subscription_quotas (subscription_id, used_groups, used_milli_cpu)
        values (new.subscription_id, 1, berth_spec_milli_cpu(new.spec))
        on conflict (subscription_id) do update
           set used_groups = subscription_quotas.used_groups + 1,
               used_milli_cpu = subscription_quotas.used_milli_cpu + excluded.used_milli_cpu;
    end if;
    return null;
end $$;

-- Updates fire it only when they set spec, desired_state or subscription_id; Hibernate sets every
-- column, so in practice every update of a group does, and takes off and adds back its figures.
create trigger container_groups_quota_insert_delete
    after insert or delete on container_groups
    for each row execute function berth_count_quota_use();
create trigger container_groups_quota_update
    after update of spec, desired_state, subscription_id on container_groups
    for each row execute function berth_count_quota_use();

insert into subscription_quotas (subscription_id, used_groups, used_milli_cpu)
select subscription_id, count(*), sum(berth_spec_milli_cpu(spec))
  from container_groups
 where desired_state <> 'DELETED'
 group by subscription_id
on conflict (subscription_id) do update
   set used_groups = excluded.used_groups, used_milli_cpu = excluded.used_milli_cpu;
