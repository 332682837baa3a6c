-- What was seen of a group's init containers, in order (JSON, like containers).
alter table group_status add column init_containers text not null default '[]';
