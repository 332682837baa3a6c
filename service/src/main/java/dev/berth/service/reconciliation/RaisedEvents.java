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

  RaisedEvents(Clock clock) {
    this.clock = clock;
  }

  void raise(String container, String name, String message) {
    byContainer
        .computeIfAbsent(container, c -> new ArrayList<>())
        .add(GroupEvent.normal(name, message, clock.instant()));
  }

  /** {@code containers} with the events raised for each added. */
  List<ContainerStatus> onto(List<ContainerStatus> containers) {
    if (byContainer.isEmpty()) {
      return containers;
    }
    return containers.stream()
        .map(
            c -> {
              List<GroupEvent> events = c.events();
              for (GroupEvent e : byContainer.getOrDefault(c.name(), List.of())) {
                events = GroupEvent.append(events, e);
              }
              return c.withEvents(events);
            })
        .toList();
  }
}
