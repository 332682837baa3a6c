-- The fleet: hosts are registered at run time (the configuration file only seeds them), their health
-- is what the owner's pings found, and each host is owned by one live replica through a lease with a
-- fencing epoch. Everything a replica needs to act correctly is here, never in one process's memory.
alter table hosts
    add column zone                text,
    add column labels              text             not null default '{}', -- JSON object
    add column cpu_allocatable     double precision not null default 1.0
        check (cpu_allocatable > 0 and cpu_allocatable <= 1),
    add column memory_allocatable  double precision not null default 0.9
        check (memory_allocatable > 0 and memory_allocatable <= 1),
    add column tls_cert_path       text,
    add column connect_timeout_ms  bigint           not null default 3000 check (connect_timeout_ms > 0),
    add column response_timeout_ms bigint           not null default 30000 check (response_timeout_ms > 0),
    -- What the operator asked for. Health (Silent, Lost) is not stored here but below.
    add column admin_state         text             not null default 'READY'
        check (admin_state in ('READY', 'CORDONED', 'DRAINING')),
    -- DELETE ?force=true: the host is treated as lost, and its row goes once no group holds room on it.
    add column removing            boolean          not null default false,
    add column drain_started_at    timestamptz,
    add column drain_deadline      timestamptz,
    add column registered_at       timestamptz      not null default now(),
    -- last_seen_at (V1) is the last answer. silent_since is set by the owner's first unanswered
    -- ping to the time of the last answer, and cleared by the next answer; answered_again_at is
    -- when the host answered after being silent. Billing stops at silent_since and does not bill
    -- the time until answered_again_at.
    add column silent_since        timestamptz,
    add column answered_again_at   timestamptz,
    -- Set when the host has been silent past berth.hosts.lost-after; its groups are placed again.
    -- Cleared only after every stale container on it was killed, so it never takes work while an
    -- old copy of a moved group could still run there.
    add column lost_at             timestamptz,
    -- The owner's circuit breaker for the host, as of its last ping (CLOSED, OPEN, HALF_OPEN).
    add column breaker_state       text;

alter table hosts rename column unreachable_reason to last_error;

-- The owning replica's lease of each host (Kubernetes Lease semantics, database clock). The epoch
-- grows with every change of holder; a replica acts on the host only with the epoch it acquired.
-- Kept apart from the hosts rows on purpose: a renewal touches many leases in one statement, and
-- placements and moves lock host rows, so sharing rows would let the two deadlock.
create table host_leases (
    host_id text primary key references hosts (id) on delete cascade,
    holder  text,
    until   timestamptz,
    epoch   bigint not null default 0
);
alter table hosts drop column schedulable;

-- Replicas of Berth that are alive: each renews its row with its leases; hosts are shared out
-- among the live ones.
create table replicas (
    id         text primary key,
    started_at timestamptz not null,
    seen_at    timestamptz not null
);

-- A group being moved off a draining host: its old copy keeps running there until the new one is
-- seen Running (start before stop, as Nomad drains), then the row goes with the old copy.
create table group_moves (
    group_id        uuid primary key references container_groups (id) on delete cascade,
    from_host       text        not null references hosts (id) on delete cascade,
    from_generation bigint      not null,
    started_at      timestamptz not null default now()
);
