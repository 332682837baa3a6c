package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.usage.ReadingGroupUsage;
import dev.berth.service.usage.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How samples of counters become points: rates between samples of one run, averaged per interval.
 */
class GroupUsageTest extends ReconcilerScenarios {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  /** Only what a read asks for: the samples of one group, as given. */
  private static UsageStore holding(List<UsageStore.Sample> samples) {
    return new UsageStore() {
      @Override
      public List<RunningContainer> runningOn(String hostId) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void save(List<Sample> s) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<Sample> samples(UUID groupId, Instant from, Instant to) {
        return samples.stream()
            .filter(s -> s.groupId().equals(groupId))
            .filter(s -> !s.usage().at().isBefore(from) && s.usage().at().isBefore(to))
            .toList();
      }

      @Override
      public int deleteBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static UsageStore.Sample main(UUID group, int second, long cpuNanos, long memory) {
    return new UsageStore.Sample(
        group,
        "main",
        new ContainerUsage(T0.plusSeconds(second), cpuNanos, memory, memory * 2, null, null));
  }

  private static UsageStore.Sample network(UUID group, int second, long received, long sent) {
    return new UsageStore.Sample(
        group,
        UsageStore.GROUP_NETWORK,
        new ContainerUsage(T0.plusSeconds(second), 0, 0, 0, received, sent));
  }

  @Test
  void cpuIsARateInMillicoresMemoryAnAverageAndARestartIsNoDrop() {
    var group =
        create("used", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    UUID id = group.id();
    var reading =
        new ReadingGroupUsage(
            stores,
            holding(
                List.of(
                    main(id, 0, 0, 100),
                    main(id, 2, 1_000_000_000L, 300),
                    main(id, 4, 3_000_000_000L, 500),
                    // A restart: the counter starts again; no rate across it.
                    main(id, 6, 100_000_000L, 700),
                    main(id, 8, 500_000_000L, 900),
                    network(id, 0, 0, 0),
                    network(id, 2, 2_000, 1_000))),
            Duration.ofDays(1));

    var series =
        reading.read(group.key(), T0, T0.plusSeconds(12), Duration.ofSeconds(4)).orElseThrow();

    assertThat(series)
        .extracting(ReadingGroupUsage.Series::metric)
        .containsExactly(
            "CpuUsage",
            "MemoryUsage",
            "NetworkBytesReceivedPerSecond",
            "NetworkBytesTransmittedPerSecond");
    assertThat(series.get(0).container()).isEqualTo("main");
    assertThat(series.get(0).points())
        .containsExactly(
            new ReadingGroupUsage.Point(T0, 500.0),
            new ReadingGroupUsage.Point(T0.plusSeconds(4), 1000.0),
            new ReadingGroupUsage.Point(T0.plusSeconds(8), 200.0));
    assertThat(series.get(1).points())
        .containsExactly(
            new ReadingGroupUsage.Point(T0, 200.0),
            new ReadingGroupUsage.Point(T0.plusSeconds(4), 600.0),
            new ReadingGroupUsage.Point(T0.plusSeconds(8), 900.0));
    assertThat(series.get(2).container()).isNull();
    assertThat(series.get(2).points()).containsExactly(new ReadingGroupUsage.Point(T0, 1000.0));
    assertThat(series.get(3).points()).containsExactly(new ReadingGroupUsage.Point(T0, 500.0));
    assertThat(reading.read(new GroupKey("sub", "rg", "nope"), T0, T0, Duration.ofSeconds(1)))
        .isEmpty();
  }
}
