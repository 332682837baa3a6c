-- cpuAllocatable above 1 overcommits a host's CPUs (at most 16, OpenStack's default
-- cpu_allocation_ratio): requests stay CFS quotas, so an overcommitted engine still caps each
-- container at its request. Memory stays at most 1.
alter table hosts drop constraint hosts_cpu_allocatable_check;
alter table hosts add constraint hosts_cpu_allocatable_check
    check (cpu_allocatable > 0 and cpu_allocatable <= 16);
