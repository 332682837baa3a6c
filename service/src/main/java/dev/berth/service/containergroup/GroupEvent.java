package dev.berth.service.containergroup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Something that happened to a group or container (ACI's events): Created, Started, Killing,
 * Failed, ... Repeats of the same event fold into one with a count.
 */
public record GroupEvent(
    String name,
    Type type,
    int count,
    Instant firstTimestamp,
    Instant lastTimestamp,
    String message) {

  /** ACI's event types. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String aciName;

    Type(String aciName) {
      this.aciName = aciName;
    }

    public String aciName() {
      return aciName;
    }
  }

  /** At most this many events are kept per container and per group; the oldest go first. */
  public static final int KEEP = 50;

  public static GroupEvent normal(String name, String message, Instant at) {
    return new GroupEvent(name, Type.NORMAL, 1, at, at, message);
  }

  public static GroupEvent warning(String name, String message, Instant at) {
    return new GroupEvent(name, Type.WARNING, 1, at, at, message);
  }

  /** {@code events} with {@code event} added: folded into the last one when it repeats it. */
  public static List<GroupEvent> append(List<GroupEvent> events, GroupEvent event) {
    List<GroupEvent> result = new ArrayList<>(events);
    if (!result.isEmpty()) {
      GroupEvent last = result.get(result.size() - 1);
      if (last.name.equals(event.name)
          && last.message.equals(event.message)
          && last.type == event.type) {
        result.set(
            result.size() - 1,
            new GroupEvent(
                last.name,
                last.type,
                last.count + 1,
                last.firstTimestamp,
                event.lastTimestamp,
                last.message));
        return List.copyOf(result);
      }
    }
    result.add(event);
    while (result.size() > KEEP) {
      result.remove(0);
    }
    return List.copyOf(result);
  }
}
