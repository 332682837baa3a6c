-- Addresses a host publishes groups' ports on, and which group holds which port on which address.
-- A group gets one address whose every requested port is free; rows are added under the lock on
-- the host's row, with the capacity reservation, so two groups never claim the same port.
alter table hosts add column publish_addresses text not null default '127.0.0.1';
alter table placements add column address text;
alter table group_status add column ip_address text;
create table published_ports (
    host_id  text    not null references hosts (id),
    address  text    not null,
    port     integer not null check (port between 1 and 65535),
    protocol text    not null check (protocol in ('TCP', 'UDP')),
    group_id uuid    not null references container_groups (id) on delete cascade deferrable initially deferred,
    primary key (host_id, address, port, protocol)
);
create index published_ports_by_group on published_ports (group_id);
