-- Each subscription's metered usage so far, for the berth_billing_* counters: kept by a trigger in
-- the transaction that inserts each segment, so a sum never needs the whole ledger (whose size
-- grows with history) and can never disagree with it. A retried segment insert is absorbed by its
-- ON CONFLICT DO NOTHING, which fires no trigger: nothing is counted twice.
create table billing_totals (
    subscription_id   text    not null,
    billable          boolean not null,
    seconds           bigint  not null,
    milli_cpu_seconds bigint  not null,
    mib_seconds       bigint  not null,
    primary key (subscription_id, billable)
);

-- What billable segments cost, per currency with a price at their start: the products with the
-- price are kept undivided (sum of milli-vCPU-seconds x price per vCPU-second, and of MiB-seconds
-- x price per GB-second), so the caller divides once, by 1000 and by 1024, exactly. Past prices
-- never change (a price starts at a whole hour in the future), so a segment's cost is final when
-- it is inserted.
create table billing_cost_totals (
    subscription_id text    not null,
    currency        text    not null,
    cpu_amount      numeric not null,
    memory_amount   numeric not null,
    primary key (subscription_id, currency)
);

create function usage_segments_count() returns trigger language plpgsql as $$
begin
    insert into billing_totals as t values (
        new.subscription_id, new.billable,
        extract(epoch from upper(new.period) - lower(new.period))::bigint,
        new.milli_cpu_seconds, new.mib_seconds)
    on conflict (subscription_id, billable) do update set
        seconds = t.seconds + excluded.seconds,
        milli_cpu_seconds = t.milli_cpu_seconds + excluded.milli_cpu_seconds,
        mib_seconds = t.mib_seconds + excluded.mib_seconds;
    if new.billable then
        insert into billing_cost_totals as t
        select new.subscription_id, p.currency, new.milli_cpu_seconds * p.per_vcpu_second,
               new.mib_seconds * p.per_gb_second
        from price_book p
        where new.start_at >= p.valid_from and (p.valid_to is null or new.start_at < p.valid_to)
        on conflict (subscription_id, currency) do update set
            cpu_amount = t.cpu_amount + excluded.cpu_amount,
            memory_amount = t.memory_amount + excluded.memory_amount;
    end if;
    return null;
end $$;
create trigger usage_segments_count after insert on usage_segments
    for each row execute function usage_segments_count();

-- What was metered before this migration.
insert into billing_totals
select subscription_id, billable,
       coalesce(sum(extract(epoch from upper(period) - lower(period)))::bigint, 0),
       sum(milli_cpu_seconds), sum(mib_seconds)
from usage_segments group by subscription_id, billable;
insert into billing_cost_totals
select s.subscription_id, p.currency, sum(s.milli_cpu_seconds * p.per_vcpu_second),
       sum(s.mib_seconds * p.per_gb_second)
from usage_segments s
join price_book p on s.start_at >= p.valid_from and (p.valid_to is null or s.start_at < p.valid_to)
where s.billable
group by s.subscription_id, p.currency;
