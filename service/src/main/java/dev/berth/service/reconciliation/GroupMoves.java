package dev.berth.service.reconciliation;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Groups being moved off a draining host: the old copy keeps running until the new one is seen
 * Running elsewhere (start before stop), and nothing else may remove it meanwhile.
 */
public interface GroupMoves {

  /**
   * @param fromGeneration the generation whose containers are the old copy
   */
  record Move(UUID groupId, String fromHost, long fromGeneration) {}

  /** Inside the transaction that moves the group: its old copy stays until the move finishes. */
  void started(UUID groupId, String fromHost, long fromGeneration);

  /** The move off {@code hostId} under way, if any (a drain moves one group at a time). */
  Optional<Move> from(String hostId);

  /** The old copy is gone. */
  void finished(UUID groupId);

  /**
   * Whether the container of {@code generation} of the group on {@code hostId} is the old copy of a
   * move begun less than {@code patience} ago (after that it is removed like any stale copy).
   */
  boolean keepsOldCopy(UUID groupId, String hostId, long generation, Duration patience);
}
