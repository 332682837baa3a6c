-- What running containers use, sampled from their engines' stats every berth.usage.interval by the
-- replica that owns the host (GET .../containerGroups/{name}/metrics). container '' is the group's
-- network namespace (only the network figures are set); a container's rows have CPU and memory.
-- Counters are as the engine counts them since the container started: rates are worked out when
-- read. Removed after berth.usage.retention (one day).
create table container_usage (
    group_id           uuid        not null,
    container          text        not null,
    at                 timestamptz not null,
    cpu_nanos          bigint,
    memory_working_set bigint,
    memory_usage       bigint,
    network_receive    bigint,
    network_transmit   bigint,
    primary key (group_id, container, at)
);
create index container_usage_at on container_usage (at);
