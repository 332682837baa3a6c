-- Webhooks: each POSTs its subscription's stream (group_events in xid order) to a URL, in order,
-- from where its cursor stands. The cursor moves only after the receiver said 2xx, in the same
-- statement that checks the claim, so a replica that lost its claim (it was too slow, or another
-- took over after it died) cannot move it: delivery is at least once, never skipped.
create table webhooks (
    webhook_id      uuid        primary key,
    subscription_id text        not null,
    url             text        not null,
    description     text,
    secret          text        not null, -- encrypted (SecretCipher), never returned after creation
    created_at      timestamptz not null,
    cursor_xid      bigint      not null, -- the stream position of the last event delivered
    cursor_group    uuid        not null,
    cursor_seq      bigint      not null,
    delivered_any   boolean     not null default false,
    failed_attempts int         not null default 0, -- of the event after the cursor
    next_attempt_at timestamptz not null,
    last_error      text,
    claimed_by      uuid,                 -- a delivery run's token while it holds the webhook
    claimed_until   timestamptz
);
create index webhooks_subscription on webhooks (subscription_id, created_at);
create index webhooks_due on webhooks (next_attempt_at);

-- Every attempt, kept berth.event-retention (7 days).
create table webhook_deliveries (
    webhook_id  uuid        not null references webhooks (webhook_id) on delete cascade,
    event_id    text        not null,
    attempt     int         not null,
    at          timestamptz not null,
    delivered   boolean     not null,
    status_code int,
    error       text,
    duration_ms bigint      not null,
    primary key (webhook_id, at, event_id, attempt)
);
create index webhook_deliveries_at on webhook_deliveries (at);
