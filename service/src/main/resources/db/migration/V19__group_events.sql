-- What followers of a group see (GET .../containerGroups/{name}/events): state changes and ACI
-- events, each numbered per group in the transaction that saves the status showing it. The number
-- is taken under the status row's lock, so numbers are gap-free and in commit order: a follower
-- that reconnects with Last-Event-ID (the last number it got) misses nothing and sees nothing
-- twice, whichever replica it reaches. Removed after berth.event-retention (seven days), except each
-- group's newest, from which its next number is taken.
create table group_events (
    group_id        uuid        not null,
    seq             bigint      not null check (seq > 0),
    subscription_id text        not null,
    resource_group  text        not null,
    group_name      text        not null,
    at              timestamptz not null,
    body            text        not null,
    primary key (group_id, seq)
);
create index group_events_at on group_events (at);
