package dev.berth.service.metering;

import dev.berth.billing.metering.EndReason;
import dev.berth.billing.metering.RunObservation;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What billing needs from a group's status: when its run started and ended, by the engine's clock.
 * A run starts at the first StartedAt of any of the generation's containers (init containers
 * included; pulling an image is billed only when the operator says so, as ACI does) and ends when
 * the group stops holding capacity, at the last FinishedAt.
 */
public final class UsageFacts {

  private final boolean billImagePull;

  public UsageFacts(boolean billImagePull) {
    this.billImagePull = billImagePull;
  }

  public RunObservation of(ContainerGroup group, GroupStatus status, Instant observedAt) {
    Instant started = startOf(status);
    Instant ended = null;
    EndReason reason = null;
    if (started != null && !status.holdsCapacity()) {
      ended = lastFinish(status);
      if (ended == null) {
        ended = status.updatedAt();
      }
      reason = reasonOf(status);
    }
    Resources requests = group.spec().requests();
    return new RunObservation(
        group.id(),
        group.key().subscriptionId(),
        group.key().resourceGroup(),
        group.key().name(),
        status.observedGeneration(),
        status.hostId(),
        requests.milliCpu(),
        requests.memoryMiB(),
        started,
        ended,
        reason,
        observedAt);
  }

  private Instant startOf(GroupStatus status) {
    List<Instant> starts = new ArrayList<>();
    runs(status).map(ContainerState::startTime).filter(Objects::nonNull).forEach(starts::add);
    if (billImagePull) {
      allContainers(status)
          .flatMap(c -> c.events().stream())
          .filter(e -> e.name().equals("Pulling"))
          .map(GroupEvent::firstTimestamp)
          .forEach(starts::add);
    }
    return starts.stream().min(Instant::compareTo).orElse(null);
  }

  private static Instant lastFinish(GroupStatus status) {
    return runs(status)
        .map(ContainerState::finishTime)
        .filter(Objects::nonNull)
        .max(Instant::compareTo)
        .orElse(null);
  }

  private static EndReason reasonOf(GroupStatus status) {
    if (status.state() == GroupState.STOPPED) {
      return EndReason.STOPPED;
    }
    if (status.state() == GroupState.SUCCEEDED
        || (status.state() == GroupState.FAILED
            && status.provisioningState() != ProvisioningState.FAILED)) {
      return EndReason.COMPLETED;
    }
    return EndReason.FAILED;
  }

  private static Stream<ContainerStatus> allContainers(GroupStatus status) {
    return Stream.concat(status.initContainers().stream(), status.containers().stream());
  }

  private static Stream<ContainerState> runs(GroupStatus status) {
    return allContainers(status)
        .flatMap(c -> Stream.of(c.currentState(), c.previousState()))
        .filter(Objects::nonNull);
  }
}
