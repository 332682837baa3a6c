-- Whether a status names no container on its host and has no restart pending, worked out from its
-- JSON once, when the status is written, instead of by every sweep: a sweep compares a host's
-- listing only with the groups that expect something there, and a finished group (at rest, nothing
-- created or left) is not read again. Before this, every sweep parsed the JSON of every group on
-- the host: with 10,000 finished groups stored, about 330 ms of PostgreSQL's CPU every 5 s with
-- nothing changing.
alter table group_status
    add column sweep_quiet boolean generated always as (
        not jsonb_path_exists(containers::jsonb || init_containers::jsonb,
                              '$[*].containerId ? (@ != null)')
        and not jsonb_path_exists(containers::jsonb, '$[*].restartAt ? (@ != null)')
    ) stored;
