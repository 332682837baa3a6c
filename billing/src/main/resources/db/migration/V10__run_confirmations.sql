-- When a reconciler pass (of any replica) last saw the run holding its resources: the meter bills
-- a running run through this moment and no further. Kept with the run, not in one process's memory,
-- so the replica that meters sees what the replicas that reconcile saw. Moved only forward
-- (greatest), so a late or repeated write never takes back a confirmation; null until a pass has
-- confirmed the run.
alter table usage_runs add column confirmed_at timestamptz;
