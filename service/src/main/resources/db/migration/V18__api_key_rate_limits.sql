-- A key's own limit on API requests per second (each replica counts its own share); null keeps the
-- configured default (berth.rate-limits.requests-per-second).
alter table api_keys
    add column requests_per_second integer check (requests_per_second > 0);
