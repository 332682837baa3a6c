package dev.berth.service.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.containergroup.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private final Scheduler scheduler = new Scheduler();

  private static HostCapacity host(
      String id, long cpu, long mem, long reservedCpu, long reservedMem, boolean schedulable) {
    return new HostCapacity(
        id, null, new Resources(cpu, mem), new Resources(reservedCpu, reservedMem), schedulable);
  }

  @Test
  void binPacksOntoTheHostLeftFullest() {
    var empty = host("empty", 4000, 8192, 0, 0, true);
    var half = host("half", 4000, 8192, 2000, 4096, true);
    assertThat(scheduler.rank(new Resources(1000, 1024), List.of(empty, half), null))
        .extracting(HostCapacity::hostId)
        .containsExactly("half", "empty");
  }

  @Test
  void leavesOutHostsWithoutRoomOrNotSchedulable() {
    var full = host("full", 4000, 8192, 3500, 0, true);
    var cordoned = host("cordoned", 4000, 8192, 0, 0, false);
    var fits = host("fits", 2000, 2048, 0, 0, true);
    assertThat(scheduler.rank(new Resources(1000, 1024), List.of(full, cordoned, fits), null))
        .extracting(HostCapacity::hostId)
        .containsExactly("fits");
  }

  @Test
  void memoryAloneCanRuleAHostOut() {
    var tight = host("tight", 4000, 1024, 0, 512, true);
    assertThat(scheduler.rank(new Resources(100, 1024), List.of(tight), null)).isEmpty();
  }

  @Test
  void aPreferredHostThatFitsComesFirst() {
    var empty = host("empty", 4000, 8192, 0, 0, true);
    var half = host("half", 4000, 8192, 2000, 4096, true);
    assertThat(scheduler.rank(new Resources(1000, 1024), List.of(empty, half), "empty"))
        .extracting(HostCapacity::hostId)
        .containsExactly("empty", "half");
  }

  @Test
  void noFitSaysWhatWasAskedAndWhatWouldFit() {
    var a = host("a", 4000, 8192, 3000, 1024, true);
    var b = host("b", 4000, 8192, 1000, 7168, true);
    InsufficientCapacityException e = scheduler.noFit(new Resources(2000, 2048), List.of(a, b));
    assertThat(e.requested()).isEqualTo(new Resources(2000, 2048));
    assertThat(e.mostFreeHost()).isEqualTo(new Resources(3000, 1024));
    assertThat(e.maxFreeEach()).isEqualTo(new Resources(3000, 7168));
    assertThat(e.getMessage())
        .contains("requested 2.0 vCPU and 2.0 GB")
        .contains("3.0 vCPU and 1.0 GB free");
  }

  @Test
  void noFitWithNoSchedulableHostSaysSo() {
    var e = scheduler.noFit(new Resources(100, 100), List.of(host("x", 4000, 8192, 0, 0, false)));
    assertThat(e.getMessage()).contains("no host is schedulable");
  }
}
