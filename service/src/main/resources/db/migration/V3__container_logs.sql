-- The output of each finished run of a container, kept so logs outlive the container, its
-- restarts and a stop. One row per run (a run is named by the engine's start time).
create table container_logs (
    group_id       uuid        not null references container_groups (id) on delete cascade,
    container_name text        not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    content        text        not null, -- one line per line written: '<RFC 3339 time> <stream> <text>'
    truncated      boolean     not null,
    primary key (group_id, container_name, started_at)
);
