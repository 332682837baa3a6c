-- Quotas per subscription (ACI's ContainerGroups and StandardCores). A row's null column means "the
-- configured default" (berth.quotas.*); the admin API sets and clears overrides. Every create or
-- cores-raising update first makes sure its subscription has a row and locks it (select ... for
-- update) in the transaction that inserts or updates the group, so two replicas' concurrent PUTs
-- are admitted one after the other and cannot both take the last unit of quota.
create table subscription_quotas (
    subscription_id  text primary key,
    container_groups integer check (container_groups >= 0),
    standard_cores   integer check (standard_cores >= 0),
    updated_at       timestamptz not null default now()
);
