package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.GroupEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events a pass's actions raise (Pulling, Pulled, Killing), per container, until they are recorded.
 */
final class RaisedEvents {

  private final Clock clock;
  private final Map<String, List<GroupEvent>> byContainer = new HashMap<>();
  private final Map<String, GroupEvent> progress = new HashMap<>();
  private final Map<String, String> waiting = new HashMap<>();

  RaisedEvents(Clock clock) {
    this.clock = clock;
  }

  void raise(String container, String name, String message) {
    byContainer
        .computeIfAbsent(container, c -> new ArrayList<>())
        .add(GroupEvent.normal(name, message, clock.instant()));
  }

  /**
   * An event that tells how far something has come (Pulling with its bytes): it takes the place of
   * the container's last event of that name instead of adding one per pass. It comes before the
   * events raised with {@link #raise}.
   */
  void progress(String container, String name, String message) {
    progress.put(container, GroupEvent.normal(name, message, clock.instant()));
  }

  /** A container not created yet waits for this (its detailStatus), e.g. its image's pull. */
  void waiting(String container, String detail) {
    waiting.put(container, detail);
  }

  /** {@code containers} with the events raised for each added. */
  List<ContainerStatus> onto(List<ContainerStatus> containers) {
    if (byContainer.isEmpty() && progress.isEmpty() && waiting.isEmpty()) {
      return containers;
    }
    return containers.stream()
        .map(
            c -> {
              List<GroupEvent> events = c.events();
              GroupEvent step = progress.get(c.name());
              if (step != null) {
                events = replacingLast(events, step);
              }
              for (GroupEvent e : byContainer.getOrDefault(c.name(), List.of())) {
                events = GroupEvent.append(events, e);
              }
              String detail = waiting.get(c.name());
              return new ContainerStatus(
                  c.name(),
                  c.containerId(),
                  detail != null && c.containerId() == null
                      ? dev.berth.service.containergroup.ContainerState.waiting(detail)
                      : c.currentState(),
                  c.previousState(),
                  c.restartCount(),
                  events,
                  c.backoffStreak(),
                  c.restartAt(),
                  c.ready(),
                  c.livenessFailedRun());
            })
        .toList();
  }

  /** The last event, if it has {@code step}'s name, brought up to date; else {@code step} added. */
  private static List<GroupEvent> replacingLast(List<GroupEvent> events, GroupEvent step) {
    if (!events.isEmpty()) {
      GroupEvent last = events.get(events.size() - 1);
      if (last.name().equals(step.name()) && last.type() == step.type()) {
        List<GroupEvent> result = new ArrayList<>(events);
        result.set(
            result.size() - 1,
            new GroupEvent(
                last.name(),
                last.type(),
                last.count(),
                last.firstTimestamp(),
                step.lastTimestamp(),
                step.message()));
        return List.copyOf(result);
      }
    }
    return GroupEvent.append(events, step);
  }
}
