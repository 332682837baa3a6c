package dev.berth.service.usage;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.GroupKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A group's usage over time, in ACI's (Azure Monitor's) metric names: {@code CpuUsage} in
 * millicores and {@code MemoryUsage} (the working set) in bytes per container, {@code
 * NetworkBytesReceivedPerSecond} and {@code NetworkBytesTransmittedPerSecond} for the group. Each
 * point is the average over one interval of what the samples in it say; a rate is worked out
 * between two samples of one run, so a restart (its counter starting again) is no drop.
 */
public final class ReadingGroupUsage {

  /** One point: the interval beginning at {@code at}, and the average over it. */
  public record Point(Instant at, double average) {}

  /** One series; {@code container} is null for the group's own (network) series. */
  public record Series(String metric, String unit, String container, List<Point> points) {}

  private final ContainerGroupStore groups;
  private final UsageStore store;
  private final Duration retention;

  public ReadingGroupUsage(ContainerGroupStore groups, UsageStore store, Duration retention) {
    this.groups = groups;
    this.store = store;
    this.retention = retention;
  }

  /** How far back samples are kept. */
  public Duration retention() {
    return retention;
  }

  /** Empty when there is no such group. */
  public Optional<List<Series>> read(GroupKey key, Instant from, Instant to, Duration interval) {
    Optional<ContainerGroup> group = groups.find(key);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<ContainerUsage>> byContainer = new TreeMap<>();
    for (UsageStore.Sample s : store.samples(group.get().id(), from, to)) {
      byContainer.computeIfAbsent(s.container(), c -> new ArrayList<>()).add(s.usage());
    }
    Buckets buckets = new Buckets(from, interval);
    List<Series> cpu = new ArrayList<>();
    List<Series> memory = new ArrayList<>();
    List<Series> network = new ArrayList<>();
    for (var c : group.get().spec().containers()) {
      List<ContainerUsage> samples = byContainer.getOrDefault(c.name(), List.of());
      cpu.add(
          new Series(
              "CpuUsage",
              "MilliCores",
              c.name(),
              buckets.rates(samples, ContainerUsage::cpuNanos, 1e3)));
      Map<Long, List<Double>> points = new TreeMap<>();
      for (ContainerUsage u : samples) {
        buckets.add(points, u.at(), u.memoryWorkingSetBytes());
      }
      memory.add(new Series("MemoryUsage", "Bytes", c.name(), buckets.averages(points)));
    }
    List<ContainerUsage> shared = byContainer.getOrDefault(UsageStore.GROUP_NETWORK, List.of());
    network.add(
        new Series(
            "NetworkBytesReceivedPerSecond",
            "BytesPerSecond",
            null,
            buckets.rates(shared, ContainerUsage::networkReceiveBytes, 1e9)));
    network.add(
        new Series(
            "NetworkBytesTransmittedPerSecond",
            "BytesPerSecond",
            null,
            buckets.rates(shared, ContainerUsage::networkTransmitBytes, 1e9)));
    List<Series> all = new ArrayList<>(cpu);
    all.addAll(memory);
    all.addAll(network);
    return Optional.of(all);
  }

  /** Intervals from {@code from}, each {@code interval} long. */
  private record Buckets(Instant from, Duration interval) {

    void add(Map<Long, List<Double>> points, Instant at, double value) {
      long k = Duration.between(from, at).toNanos() / interval.toNanos();
      points.computeIfAbsent(k, x -> new ArrayList<>()).add(value);
    }

    List<Point> averages(Map<Long, List<Double>> points) {
      List<Point> out = new ArrayList<>();
      points.forEach(
          (k, values) ->
              out.add(
                  new Point(
                      from.plus(interval.multipliedBy(k)),
                      values.stream().mapToDouble(Double::doubleValue).average().orElse(0))));
      return out;
    }

    /**
     * How fast a counter grew between consecutive samples: its growth per nanosecond of wall time,
     * times {@code scale} (1e9 for bytes per second; 1e3 on CPU nanoseconds for millicores).
     */
    List<Point> rates(
        List<ContainerUsage> samples,
        java.util.function.Function<ContainerUsage, Long> counter,
        double scale) {
      Map<Long, List<Double>> points = new LinkedHashMap<>();
      for (int i = 1; i < samples.size(); i++) {
        ContainerUsage a = samples.get(i - 1);
        ContainerUsage b = samples.get(i);
        Long before = counter.apply(a);
        Long after = counter.apply(b);
        if (before == null || after == null) {
          continue;
        }
        long wall = Duration.between(a.at(), b.at()).toNanos();
        long delta = after - before;
        if (wall > 0 && delta >= 0) {
          add(points, b.at(), delta * scale / wall);
        }
      }
      return averages(new TreeMap<>(points));
    }
  }
}
