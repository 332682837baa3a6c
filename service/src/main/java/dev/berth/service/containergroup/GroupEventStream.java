package dev.berth.service.containergroup;

import java.util.List;
import java.util.UUID;

/** The numbered {@link StreamEvent}s of each group, as saved with its statuses. */
public interface GroupEventStream {

  /** A stream event with its number in the group's stream (1, 2, 3, ... without gaps). */
  record Numbered(long seq, StreamEvent event) {}

  /** The group's events numbered after {@code afterSeq}, oldest first, at most {@code limit}. */
  List<Numbered> after(UUID groupId, long afterSeq, int limit);

  /** The group's state as last saved (read alone, for followers); empty when it is gone. */
  java.util.Optional<GroupState> stateOf(UUID groupId);
}
