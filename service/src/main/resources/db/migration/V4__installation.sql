-- Who this Berth is: one id per database, carried by every container it creates, so that Berth
-- installations sharing a Docker engine never collect each other's containers.
create table installation (
    id        uuid primary key,
    singleton boolean not null default true unique check (singleton)
);
insert into installation (id) values (gen_random_uuid());
