package dev.berth.service.containergroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamEventTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(5);

  private static GroupStatus status(
      GroupState state, List<GroupEvent> events, List<ContainerStatus> containers) {
    return new GroupStatus(
        UUID.randomUUID(),
        1,
        state == GroupState.PENDING ? ProvisioningState.PENDING : ProvisioningState.SUCCEEDED,
        state,
        "h",
        null,
        containers,
        events,
        T0,
        0,
        List.of());
  }

  private static ContainerStatus container(
      ContainerState state, List<GroupEvent> events, int restarts) {
    return new ContainerStatus("main", "c1", state, null, restarts, events, 0, null);
  }

  @Test
  void newAndRepeatedEventsStateChangesAndTheGroupsStateComeOutOldestFirst() {
    GroupEvent pulled = GroupEvent.normal("Pulled", "pulled", T0);
    GroupEvent started = GroupEvent.normal("Started", "started", T1);
    GroupEvent backOff = new GroupEvent("BackOff", GroupEvent.Type.WARNING, 1, T0, T0, "again");
    GroupEvent backOffAgain =
        new GroupEvent("BackOff", GroupEvent.Type.WARNING, 3, T0, T1, "again");
    var before =
        status(
            GroupState.PENDING,
            List.of(backOff),
            List.of(container(ContainerState.waiting("Pulling"), List.of(pulled), 0)));
    var after =
        status(
            GroupState.RUNNING,
            List.of(backOffAgain),
            List.of(container(ContainerState.running(T1), List.of(pulled, started), 0)));

    List<StreamEvent> seen = StreamEvent.between(before, after, T1);

    assertThat(seen)
        .extracting(StreamEvent::kind, StreamEvent::name, StreamEvent::state, StreamEvent::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Event", "BackOff", null, 3),
            org.assertj.core.groups.Tuple.tuple("Event", "Started", null, 1),
            org.assertj.core.groups.Tuple.tuple("ContainerStateChanged", null, "Running", null),
            org.assertj.core.groups.Tuple.tuple("StateChanged", null, "Running", null));
    assertThat(seen.get(1).container()).isEqualTo("main");
    assertThat(seen.get(3).detail()).isEqualTo("Succeeded");
  }

  @Test
  void nothingChangedMeansNothingToTell() {
    var same =
        status(
            GroupState.RUNNING,
            List.of(GroupEvent.normal("Started", "started", T0)),
            List.of(container(ContainerState.running(T0), List.of(), 0)));
    assertThat(StreamEvent.between(same, same, T1)).isEmpty();
  }

  @Test
  void aRestartInPlaceIsAContainerStateChangeWithItsCount() {
    var before =
        status(
            GroupState.RUNNING,
            List.of(),
            List.of(container(ContainerState.running(T0), List.of(), 0)));
    var after =
        status(
            GroupState.RUNNING,
            List.of(),
            List.of(container(ContainerState.running(T1), List.of(), 1)));
    assertThat(StreamEvent.between(before, after, T1))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(StreamEvent.CONTAINER_STATE_CHANGED);
              assertThat(e.restartCount()).isEqualTo(1);
            });
  }
}
