-- A restart action is a counter the API raises and the reconciler catches up with.
alter table container_groups add column restart_epoch bigint not null default 0;
alter table group_status add column applied_restart_epoch bigint not null default 0;
