package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.Placement;
import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.Transactions;
import dev.berth.service.scheduling.HostCapacity;
import dev.berth.service.scheduling.PlacementStore;
import dev.berth.service.workload.RunLogs;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Stores in memory, for scenario tests of the reconciler's logic. */
final class InMemoryStores implements ContainerGroupStore, PlacementStore, Transactions, RunLogs {

  final Map<UUID, ContainerGroup> groups = new HashMap<>();
  final Map<UUID, GroupStatus> statuses = new HashMap<>();
  private final Map<UUID, Long> versions = new HashMap<>();
  private final Map<UUID, Long> statusWrites = new HashMap<>();
  final Map<UUID, Map.Entry<String, Resources>> placements = new HashMap<>();
  final Map<String, Resources> hosts = new HashMap<>();
  final Map<String, KeptRun> runLogs = new HashMap<>();
  java.util.function.Predicate<String> schedulable = host -> true;

  @Override
  public synchronized void keep(UUID groupId, String containerName, KeptRun run) {
    runLogs.putIfAbsent(groupId + "/" + containerName + "/" + micros(run.startedAt()), run);
  }

  @Override
  public synchronized Optional<KeptRun> find(
      UUID groupId, String containerName, java.time.Instant startedAt) {
    return Optional.ofNullable(
        runLogs.get(groupId + "/" + containerName + "/" + micros(startedAt)));
  }

  @Override
  public synchronized List<java.time.Instant> runs(UUID groupId, String containerName) {
    return runLogs.entrySet().stream()
        .filter(e -> e.getKey().startsWith(groupId + "/" + containerName + "/"))
        .map(e -> micros(e.getValue().startedAt()))
        .sorted()
        .toList();
  }

  private static java.time.Instant micros(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  @Override
  public synchronized Optional<ContainerGroup> find(GroupKey key) {
    return groups.values().stream().filter(g -> g.key().equals(key)).findFirst();
  }

  @Override
  public synchronized Optional<ContainerGroup> findById(UUID id) {
    return Optional.ofNullable(groups.get(id));
  }

  @Override
  public synchronized Optional<GroupStatus> status(UUID id) {
    return Optional.ofNullable(statuses.get(id));
  }

  @Override
  public synchronized Map<UUID, GroupStatus> statuses(java.util.Collection<UUID> ids) {
    Map<UUID, GroupStatus> byId = new HashMap<>();
    ids.stream().filter(statuses::containsKey).forEach(id -> byId.put(id, statuses.get(id)));
    return byId;
  }

  @Override
  public synchronized Map<UUID, Placed> placed(java.util.Collection<UUID> ids) {
    Map<UUID, Placed> byId = new HashMap<>();
    for (UUID id : ids) {
      ContainerGroup group = groups.get(id);
      if (group != null) {
        GroupStatus status = statuses.get(id);
        byId.put(id, new Placed(status == null ? null : status.hostId(), group.generation()));
      }
    }
    return byId;
  }

  @Override
  public synchronized RevisionPage revisions(
      String subscriptionId, String resourceGroup, String after, int limit) {
    List<Revision> page =
        groups.values().stream()
            .filter(g -> g.key().subscriptionId().equals(subscriptionId))
            .filter(g -> resourceGroup == null || g.key().resourceGroup().equals(resourceGroup))
            .filter(g -> after == null || isAfter(g.key(), after))
            .sorted(
                Comparator.comparing((ContainerGroup g) -> g.key().resourceGroup())
                    .thenComparing(g -> g.key().name()))
            .limit(limit + 1L)
            .map(g -> revision(g.id()))
            .toList();
    if (page.size() <= limit) {
      return new RevisionPage(page, null);
    }
    GroupKey last = groups.get(page.get(limit - 1).id()).key();
    return new RevisionPage(page.subList(0, limit), last.resourceGroup() + "/" + last.name());
  }

  /** After the key {@code after} names ("resource group/name"), ordered as the database orders. */
  private static boolean isAfter(GroupKey key, String after) {
    String group = after.substring(0, after.lastIndexOf('/'));
    String name = after.substring(after.lastIndexOf('/') + 1);
    int byGroup = key.resourceGroup().compareTo(group);
    return byGroup > 0 || (byGroup == 0 && key.name().compareTo(name) > 0);
  }

  @Override
  public synchronized Optional<Revision> revision(GroupKey key) {
    return find(key).map(g -> revision(g.id()));
  }

  /** The status's token here counts its writes: a database moves it forward with each. */
  private Revision revision(UUID id) {
    return new Revision(
        id,
        versions.getOrDefault(id, 0L),
        statuses.containsKey(id)
            ? java.time.Instant.EPOCH.plusNanos(1000 * statusWrites.getOrDefault(id, 0L))
            : null);
  }

  @Override
  public synchronized Map<UUID, Current> current(java.util.Collection<UUID> ids) {
    Map<UUID, Current> byId = new HashMap<>();
    ids.stream()
        .filter(groups::containsKey)
        .forEach(id -> byId.put(id, new Current(groups.get(id), statuses.get(id), revision(id))));
    return byId;
  }

  @Override
  public synchronized void insert(ContainerGroup group, GroupStatus status) {
    versions.merge(group.id(), 1L, Long::sum);
    statusWrites.merge(group.id(), 1L, Long::sum);
    groups.put(group.id(), group);
    statuses.put(group.id(), status);
  }

  @Override
  public synchronized void update(ContainerGroup group) {
    versions.merge(group.id(), 1L, Long::sum);
    groups.put(group.id(), group);
  }

  @Override
  public synchronized void saveStatus(GroupStatus status, GroupStatus basedOn) {
    if (!basedOn.equals(statuses.get(status.groupId()))) {
      throw new StaleStatusException(status.groupId());
    }
    statusWrites.merge(status.groupId(), 1L, Long::sum);
    statuses.put(status.groupId(), status);
  }

  @Override
  public synchronized void resetStatus(GroupStatus status) {
    statusWrites.merge(status.groupId(), 1L, Long::sum);
    statuses.put(status.groupId(), status);
  }

  @Override
  public synchronized void delete(UUID id) {
    groups.remove(id);
    statuses.remove(id);
    placements.remove(id);
  }

  @Override
  public synchronized List<HostCapacity> capacitiesExcluding(UUID groupId) {
    return hosts.entrySet().stream()
        .map(
            h ->
                new HostCapacity(
                    h.getKey(),
                    null,
                    h.getValue(),
                    reservedOn(h.getKey(), groupId),
                    schedulable.test(h.getKey())))
        .toList();
  }

  private Resources reservedOn(String host, UUID excluding) {
    return placements.entrySet().stream()
        .filter(p -> !p.getKey().equals(excluding) && p.getValue().getKey().equals(host))
        .map(p -> p.getValue().getValue())
        .reduce(Resources.NONE, Resources::plus);
  }

  @Override
  public synchronized Optional<Placement> tryReserve(
      UUID groupId, String hostId, Resources demand, List<PublishedPort> ports) {
    if (!schedulable.test(hostId)
        || !demand.fitsIn(hosts.get(hostId).minus(reservedOn(hostId, groupId)))) {
      return Optional.empty();
    }
    placements.put(groupId, Map.entry(hostId, demand));
    return Optional.of(new Placement(hostId, ports.isEmpty() ? null : "127.0.0.1"));
  }

  @Override
  public synchronized List<Expected> expectedOn(String hostId) {
    return statuses.values().stream()
        .filter(s -> hostId.equals(s.hostId()) && groups.containsKey(s.groupId()))
        .map(s -> Expected.of(groups.get(s.groupId()), s))
        .filter(e -> !e.quiet())
        .toList();
  }

  @Override
  public synchronized java.util.Set<String> imagesOn(String hostId) {
    java.util.Set<String> images = new java.util.HashSet<>();
    for (GroupStatus s : statuses.values()) {
      ContainerGroup group = groups.get(s.groupId());
      if (hostId.equals(s.hostId()) && group != null) {
        group.spec().containers().forEach(c -> images.add(c.image()));
        group.spec().initContainers().forEach(c -> images.add(c.image()));
      }
    }
    return images;
  }

  @Override
  public synchronized List<UUID> idsOn(java.util.Collection<String> hostIds, boolean unplaced) {
    return statuses.values().stream()
        .filter(
            s ->
                (s.hostId() == null && unplaced)
                    || (s.hostId() != null && hostIds.contains(s.hostId())))
        .map(GroupStatus::groupId)
        .toList();
  }

  @Override
  public synchronized boolean isHeld(UUID groupId) {
    return placements.containsKey(groupId);
  }

  @Override
  public synchronized void release(UUID groupId) {
    placements.remove(groupId);
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    synchronized (this) {
      return work.get();
    }
  }
}
