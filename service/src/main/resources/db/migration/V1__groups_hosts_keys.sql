-- Hosts: Docker engines from configuration, with what they offer to groups.
create table hosts (
    id                     text primary key,
    endpoint               text        not null,
    allocatable_milli_cpu  bigint      not null check (allocatable_milli_cpu >= 0),
    allocatable_memory_mib bigint      not null check (allocatable_memory_mib >= 0),
    schedulable            boolean     not null,
    engine_version         text,
    last_seen_at           timestamptz,
    unreachable_reason     text
);

-- Desired state: written only by the API.
create table container_groups (
    id                uuid primary key,
    subscription_id   text        not null,
    resource_group    text        not null,
    name              text        not null,
    location          text        not null,
    tags              text        not null,
    spec              text        not null, -- GroupSpec as JSON; secureValues encrypted
    generation        bigint      not null check (generation > 0),
    desired_state     text        not null check (desired_state in ('RUNNING', 'STOPPED', 'DELETED')),
    resource_document text        not null, -- the resource as sent, secrets removed; echoed by GET
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    version           bigint      not null,
    constraint container_groups_key unique (subscription_id, resource_group, name)
);

-- Observed state: written by the reconciler (and reset by the API for a new generation).
-- updated_at doubles as the optimistic concurrency token of a status write.
create table group_status (
    group_id            uuid primary key references container_groups (id) on delete cascade,
    observed_generation bigint      not null,
    provisioning_state  text        not null,
    state               text        not null,
    host_id             text references hosts (id),
    containers          text        not null,
    events              text        not null,
    updated_at          timestamptz not null
);

-- Reserved capacity: one row per placed group. A host's reservation is the sum of its rows, so it
-- cannot drift from the groups holding it; rows are added under a lock on the host row.
create table placements (
    group_id   uuid primary key references container_groups (id) on delete cascade deferrable initially deferred,
    host_id    text   not null references hosts (id),
    milli_cpu  bigint not null check (milli_cpu > 0),
    memory_mib bigint not null check (memory_mib > 0)
);
create index placements_by_host on placements (host_id);

-- API keys scoped to one subscription; only a SHA-256 of the key is kept.
create table api_keys (
    id              text primary key,
    key_hash        text        not null unique,
    subscription_id text        not null,
    description     text,
    created_at      timestamptz not null,
    revoked_at      timestamptz
);
