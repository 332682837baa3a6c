-- Billing: usage runs, immutable usage segments, the price book, invoices and run checks.
-- No foreign key to container_groups: a bill outlives the group it is for.
create extension if not exists btree_gist;

-- One row per group run (a generation of a group, from its first container start until it stops
-- holding resources). billed_through is the metering cursor: every second in
-- [start_second, billed_through) is covered by exactly one segment.
create table usage_runs (
    run_id          uuid primary key,
    group_id        uuid        not null,
    subscription_id text        not null,
    resource_group  text        not null,
    group_name      text        not null,
    generation      bigint      not null,
    host_id         text,
    milli_cpu       bigint      not null check (milli_cpu > 0),
    memory_mib      bigint      not null check (memory_mib > 0),
    started_at      timestamptz not null, -- the engine's StartedAt of the run's first container
    start_second    timestamptz not null,
    ended_at        timestamptz,          -- when the run stopped holding resources (engine time when known)
    end_second      timestamptz,
    end_reason      text,
    end_source      text,
    billed_through  timestamptz not null,
    fault_since     timestamptz,          -- the host stopped answering at this second; not billed from here
    closed          boolean     not null default false,
    created_at      timestamptz not null default clock_timestamp(),
    constraint usage_runs_group_generation unique (group_id, generation),
    constraint usage_runs_whole_seconds check (
        date_trunc('second', start_second) = start_second
        and date_trunc('second', billed_through) = billed_through
        and (end_second is null or date_trunc('second', end_second) = end_second)),
    constraint usage_runs_cursor_in_run check (
        billed_through >= start_second and (end_second is null or billed_through <= end_second)),
    constraint usage_runs_closed_at_end check (not closed or billed_through = end_second)
);
create index usage_runs_open on usage_runs (billed_through, run_id) where not closed;
create index usage_runs_subscription on usage_runs (subscription_id, start_second);

-- Immutable: inserted once (the id is derived from the run and the start second, so a retried
-- insert is absorbed), never updated or deleted. The exclusion constraint makes a second billed
-- twice for one group impossible, whatever the code above it does.
create table usage_segments (
    segment_id        uuid primary key,
    run_id            uuid        not null references usage_runs (run_id),
    group_id          uuid        not null,
    subscription_id   text        not null,
    period            tstzrange   not null check (not isempty(period) and lower_inc(period) and not upper_inc(period)),
    start_at          timestamptz not null,
    billable          boolean     not null,
    reason            text        not null,
    milli_cpu_seconds bigint      not null check (milli_cpu_seconds >= 0),
    mib_seconds       bigint      not null check (mib_seconds >= 0),
    recorded_at       timestamptz not null default clock_timestamp(),
    constraint usage_segments_start check (start_at = lower(period)),
    constraint usage_segments_no_second_twice exclude using gist (group_id with =, period with &&)
);
create index usage_segments_run on usage_segments (run_id, start_at);
create index usage_segments_subscription on usage_segments (subscription_id, start_at);

create function usage_segments_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'usage segments are immutable (% of %)', tg_op, old.segment_id;
end $$;
create trigger usage_segments_immutable before update or delete on usage_segments
    for each row execute function usage_segments_immutable();

-- Prices per currency, each valid over [valid_from, valid_to); periods start on whole hours so a
-- usage segment (which never crosses an hour) has exactly one price.
create table price_book (
    price_id            uuid primary key,
    currency            text        not null,
    per_vcpu_second     numeric     not null check (per_vcpu_second >= 0),
    per_gb_second       numeric     not null check (per_gb_second >= 0),
    valid_from          timestamptz not null,
    valid_to            timestamptz,
    check (date_trunc('hour', valid_from) = valid_from),
    check (valid_to is null or (valid_to > valid_from and date_trunc('hour', valid_to) = valid_to)),
    constraint price_book_no_overlap exclude using gist (
        currency with =, tstzrange(valid_from, valid_to) with &&)
);
-- Azure Container Instances' Linux list prices.
insert into price_book values
    ('00000000-0000-0000-0000-000000000001', 'USD', 0.00001125, 0.00000124, '1970-01-01T00:00:00Z', null);

-- A month is closed for every subscription at once, in month order, after its grace period. A
-- segment belongs to the invoice of its month when recorded before that month closed; one recorded
-- later is a correction on the invoice of the first month that closes after it was recorded.
create table billing_month_closings (
    month_start timestamptz primary key,
    closed_at   timestamptz not null unique
);

-- Final invoices only: a draft is computed when asked for. Never updated after it is written.
create table invoices (
    invoice_id      uuid primary key,
    subscription_id text        not null,
    period_start    timestamptz not null,
    period_end      timestamptz not null,
    currency        text        not null,
    total           numeric     not null,
    finalized_at    timestamptz not null,
    constraint invoices_one_per_month unique (subscription_id, period_start)
);

create table invoice_lines (
    invoice_id         uuid    not null references invoices (invoice_id),
    line_no            int     not null,
    kind               text    not null check (kind in ('USAGE', 'CORRECTION')),
    resource_group     text    not null,
    group_name         text    not null,
    usage_month        timestamptz not null, -- the month the usage belongs to
    corrects_invoice   uuid references invoices (invoice_id),
    billed_seconds     bigint  not null,
    milli_cpu_seconds  bigint  not null,
    mib_seconds        bigint  not null,
    exact_amount       numeric not null,
    amount             numeric not null,
    primary key (invoice_id, line_no)
);

create function invoices_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'final invoices are never edited (%)', tg_op;
end $$;
create trigger invoices_immutable before update or delete on invoices
    for each row execute function invoices_immutable();
create trigger invoice_lines_immutable before update or delete on invoice_lines
    for each row execute function invoices_immutable();
create trigger billing_month_closings_immutable before update or delete on billing_month_closings
    for each row execute function invoices_immutable();

-- What the reconciliation job found for each finished run.
create table usage_run_checks (
    run_id          uuid primary key references usage_runs (run_id),
    metered_seconds bigint      not null,
    billed_seconds  bigint      not null,
    engine_millis   bigint      not null,
    matches         boolean     not null,
    detail          text        not null,
    checked_at      timestamptz not null
);
