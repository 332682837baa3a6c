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

  /**
   * What a group's followers are waiting for: its state as last saved (empty when it is gone), read
   * before its events, so that no event saved before the state is left out.
   */
  record Followed(java.util.Optional<GroupState> state, List<Numbered> events) {}

  /**
   * For each group of {@code afterSeq}, in one read for all of them: its state, then its events
   * numbered after the given number, oldest first, at most {@code limit} of each.
   */
  java.util.Map<UUID, Followed> followed(java.util.Map<UUID, Long> afterSeq, int limit);
}
