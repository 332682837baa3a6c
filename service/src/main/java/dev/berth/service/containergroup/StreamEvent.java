package dev.berth.service.containergroup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing a follower of a group sees happen, in the order it happened: the group's state changed
 * ({@code StateChanged}), a container's state changed ({@code ContainerStateChanged}), or an ACI
 * event was raised or repeated ({@code Event}, with the container's name when it is one of a
 * container's). Worked out from two consecutive statuses, so it is written in the transaction that
 * saves the second and numbered there: none is lost or told twice.
 *
 * @param container the container concerned; null for the group's own
 * @param name the ACI event's name (Pulling, Started, BackOff, ...); null for state changes
 * @param type the ACI event's type (Normal, Warning); null for state changes
 * @param count how many times the ACI event has happened so far
 * @param state the group's (or container's) new state; null for ACI events
 * @param detail the container's detailStatus, or the group's provisioningState
 */
public record StreamEvent(
    String kind,
    Instant at,
    String container,
    String name,
    String type,
    Integer count,
    String message,
    String state,
    String detail,
    Integer restartCount) {

  public static final String STATE_CHANGED = "StateChanged";
  public static final String CONTAINER_STATE_CHANGED = "ContainerStateChanged";
  public static final String EVENT = "Event";

  /** What a follower sees between {@code before} and {@code after}, oldest first. */
  public static List<StreamEvent> between(GroupStatus before, GroupStatus after, Instant at) {
    List<StreamEvent> seen = new ArrayList<>();
    raised(null, before.events(), after.events(), seen);
    Map<String, ContainerStatus> previous = new HashMap<>();
    for (ContainerStatus c : before.initContainers()) {
      previous.put(c.name(), c);
    }
    for (ContainerStatus c : before.containers()) {
      previous.put(c.name(), c);
    }
    List<ContainerStatus> now = new ArrayList<>(after.initContainers());
    now.addAll(after.containers());
    for (ContainerStatus c : now) {
      ContainerStatus was = previous.get(c.name());
      raised(c.name(), was == null ? List.of() : was.events(), c.events(), seen);
      ContainerState state = c.currentState();
      ContainerState wasState = was == null ? null : was.currentState();
      boolean changed =
          state != null
              && (wasState == null
                  || state.state() != wasState.state()
                  || !java.util.Objects.equals(state.detailStatus(), wasState.detailStatus())
                  || c.restartCount() != was.restartCount());
      if (changed) {
        seen.add(
            new StreamEvent(
                CONTAINER_STATE_CHANGED,
                at,
                c.name(),
                null,
                null,
                null,
                null,
                state.state().aciName(),
                state.detailStatus(),
                c.restartCount()));
      }
    }
    seen.sort(java.util.Comparator.comparing(StreamEvent::at));
    if (before.state() != after.state()
        || before.provisioningState() != after.provisioningState()) {
      seen.add(
          new StreamEvent(
              STATE_CHANGED,
              at,
              null,
              null,
              null,
              null,
              null,
              after.state().aciName(),
              after.provisioningState().aciName(),
              null));
    }
    return seen;
  }

  /** ACI events that are new in {@code after}, or happened again since {@code before}. */
  private static void raised(
      String container, List<GroupEvent> before, List<GroupEvent> after, List<StreamEvent> seen) {
    Map<String, Integer> counts = new HashMap<>();
    for (GroupEvent e : before) {
      counts.put(e.name() + "@" + e.firstTimestamp(), e.count());
    }
    for (GroupEvent e : after) {
      Integer was = counts.get(e.name() + "@" + e.firstTimestamp());
      if (was == null || e.count() > was) {
        seen.add(
            new StreamEvent(
                EVENT,
                e.lastTimestamp(),
                container,
                e.name(),
                e.type().aciName(),
                e.count(),
                e.message(),
                null,
                null,
                null));
      }
    }
  }
}
