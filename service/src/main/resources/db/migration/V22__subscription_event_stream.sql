-- The subscription-wide stream (GET /subscriptions/{id}/providers/Microsoft.ContainerInstance/events):
-- events of many groups, saved by concurrent transactions, in one order every reader agrees on.
-- Each event keeps the id of the transaction that wrote it, raised if need be to its group's
-- previous event's (a transaction may have taken its id before it waited for the status row's
-- lock), so xid never decreases along a group's stream and is never below the writer's own id.
-- Readers take only events whose xid is below their snapshot's xmin (every transaction below it
-- has ended, so no event can still appear there) and order them by (xid, group_id, seq). A reader
-- that resumes after a position therefore misses nothing and sees nothing twice, whichever
-- replica it reaches, and sees each group's events in their own order. A long transaction holds
-- the stream back while it runs; it never makes it skip. PostgreSQL 13 or later.
alter table group_events add column xid xid8 not null default pg_current_xact_id();
create index group_events_stream on group_events (xid, group_id, seq);
create index group_events_subscription_stream on group_events (subscription_id, xid, group_id, seq);
