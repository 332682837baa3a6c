package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.RunIds;
import dev.berth.billing.metering.RunObservation;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.metering.UsageFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the reconciler tells billing, on the fake runtime with a hand-advanced clock. */
class UsageReportingScenarioTest extends ReconcilerScenarios {

  @Test
  void aRunStartsAtTheEnginesStartedAtAndEndsAtItsFinishedAt() {
    var group =
        create("job", RestartPolicy.NEVER, List.of("sleep", "5"), new Resources(1500, 1536));
    reconciler.reconcile(group.id());
    Instant started = main(group).currentState().startTime();

    RunObservation running = usage.last(group.id());
    assertThat(running.startedAt()).isEqualTo(started);
    assertThat(running.endedAt()).isNull();
    assertThat(running.milliCpu()).isEqualTo(1500);
    assertThat(running.memoryMiB()).isEqualTo(1536);
    assertThat(confirmedAt(group)).isNotNull();

    clock.advance(Duration.ofSeconds(5));
    runtime.exit(main(group).containerId(), 0, false);
    reconciler.reconcile(group.id());

    RunObservation ended = usage.last(group.id());
    assertThat(ended.endedAt()).isEqualTo(main(group).currentState().finishTime());
    assertThat(Duration.between(ended.startedAt(), ended.endedAt()))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(ended.endReason()).isEqualTo(EndReason.COMPLETED);
  }

  @Test
  void aPassThatChangesNothingReportsNothingAndConfirmsTheRunStillHoldsItsResources() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    int reports = usage.observations.size();
    Instant firstConfirmation = confirmedAt(group);

    clock.advance(Duration.ofSeconds(30));
    reconciler.reconcile(group.id());

    assertThat(usage.observations).hasSize(reports);
    assertThat(confirmedAt(group)).isEqualTo(firstConfirmation.plusSeconds(30));
  }

  @Test
  void crashLoopBackoffIsBilledBecauseTheCapacityStaysReserved() {
    var group = create("crash", RestartPolicy.ALWAYS, List.of("false"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(1));
    runtime.exit(main(group).containerId(), 1, false);
    reconciler.reconcile(group.id());

    assertThat(main(group).currentState().detailStatus()).isEqualTo("CrashLoopBackOff");
    assertThat(usage.last(group.id()).endedAt()).isNull();
    assertThat(confirmedAt(group)).isNotNull();
  }

  @Test
  void stoppingEndsTheRunAndDeletingEndsItWhenTheContainersAreGone() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(42));
    new StoppingContainerGroup(stores, reconciler::reconcile).stop(group.key());

    RunObservation stopped = usage.last(group.id());
    assertThat(stopped.endReason()).isEqualTo(EndReason.STOPPED);
    assertThat(stopped.endedAt()).isEqualTo(main(group).currentState().finishTime());

    clock.advance(Duration.ofSeconds(5));
    new DeletingContainerGroup(stores, id -> reconciler.reconcile(id).gone()).delete(group.key());
    assertThat(usage.deleted).containsEntry(group.id(), clock.instant());
  }

  @Test
  void pullingAnImageIsNotBilledUnlessTheOperatorSaysSo() {
    var group = create("job", RestartPolicy.NEVER, List.of("sleep", "5"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var status = status(group);
    var withPull = new UsageFacts(true).of(group, status, clock.instant());
    var withoutPull = new UsageFacts(false).of(group, status, clock.instant());
    assertThat(withoutPull.startedAt()).isEqualTo(main(group).currentState().startTime());
    assertThat(withPull.startedAt()).isBeforeOrEqualTo(withoutPull.startedAt());
  }

  /** The run's confirmation as the ledger has it once the confirmations gathered are written. */
  private Instant confirmedAt(dev.berth.service.containergroup.ContainerGroup group) {
    confirmations.flush();
    return usage.confirmed.get(RunIds.run(group.id(), 1));
  }
}
