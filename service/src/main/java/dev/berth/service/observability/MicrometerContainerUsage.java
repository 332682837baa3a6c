package dev.berth.service.observability;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.usage.UsageExport;
import dev.berth.service.usage.UsageStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest usage of each container this replica samples, under cAdvisor's names and labels {@code
 * subscription}, {@code resource_group}, {@code group}, {@code container}:
 *
 * <ul>
 *   <li>{@code container_cpu_usage_seconds_total}: CPU time used by the container's run;
 *   <li>{@code container_memory_working_set_bytes} and {@code container_memory_usage_bytes};
 *   <li>{@code container_network_receive_bytes_total} and {@code
 *       container_network_transmit_bytes_total}: the group's network namespace, which its
 *       containers share, with {@code container=""} (as the kubelet gives a pod's).
 * </ul>
 *
 * A container that is no longer sampled (stopped, gone, or its host now another replica's) leaves
 * the series at once; its counter starts again with its next run, which Prometheus' rate() takes as
 * a reset.
 */
public final class MicrometerContainerUsage implements UsageExport {

  private final MeterRegistry registry;
  private final Map<List<String>, Shown> shown = new HashMap<>();

  public MicrometerContainerUsage(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of one container (or one group's network) and the value they read. */
  private record Shown(AtomicReference<ContainerUsage> usage, List<Meter> meters) {}

  @Override
  public synchronized void show(List<Latest> latest) {
    Set<List<String>> now = new HashSet<>();
    for (Latest l : latest) {
      List<String> id =
          List.of(l.key().subscriptionId(), l.key().resourceGroup(), l.key().name(), l.container());
      now.add(id);
      Shown s = shown.get(id);
      if (s == null) {
        s = register(id, l);
        shown.put(id, s);
      }
      s.usage().set(l.usage());
    }
    for (var it = shown.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!now.contains(e.getKey())) {
        e.getValue().meters().forEach(registry::remove);
        it.remove();
      }
    }
  }

  private Shown register(List<String> id, Latest l) {
    AtomicReference<ContainerUsage> usage = new AtomicReference<>(l.usage());
    Tags tags =
        Tags.of("subscription", id.get(0), "resource_group", id.get(1), "group", id.get(2))
            .and("container", id.get(3));
    List<Meter> meters = new ArrayList<>();
    if (UsageStore.GROUP_NETWORK.equals(l.container())) {
      meters.add(
          FunctionCounter.builder(
                  "container.network.receive", usage, u -> bytes(u.get().networkReceiveBytes()))
              .description("Bytes received by the group's network namespace")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry));
      meters.add(
          FunctionCounter.builder(
                  "container.network.transmit", usage, u -> bytes(u.get().networkTransmitBytes()))
              .description("Bytes sent by the group's network namespace")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry));
    } else {
      meters.add(
          FunctionCounter.builder("container.cpu.usage", usage, u -> u.get().cpuNanos() / 1e9)
              .description("CPU time the container's run used, all cores")
              .baseUnit("seconds")
              .tags(tags)
              .register(registry));
      meters.add(
          Gauge.builder("container.memory.working_set", usage, u -> u.get().memoryWorkingSetBytes())
              .description("Memory in use less inactive file cache")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry));
      meters.add(
          Gauge.builder("container.memory.usage", usage, u -> u.get().memoryUsageBytes())
              .description("Memory in use, page cache included")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry));
    }
    return new Shown(usage, meters);
  }

  private static double bytes(Long value) {
    return value == null ? 0 : value;
  }
}
