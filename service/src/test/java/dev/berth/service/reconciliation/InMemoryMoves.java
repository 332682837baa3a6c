package dev.berth.service.reconciliation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Moves off draining hosts, in memory, for scenarios. */
final class InMemoryMoves implements GroupMoves {

  final Map<UUID, Move> moves = new LinkedHashMap<>();

  @Override
  public synchronized void started(UUID groupId, String fromHost, long fromGeneration) {
    moves.put(groupId, new Move(groupId, fromHost, fromGeneration));
  }

  @Override
  public synchronized Optional<Move> from(String hostId) {
    return moves.values().stream().filter(m -> m.fromHost().equals(hostId)).findFirst();
  }

  @Override
  public synchronized void finished(UUID groupId) {
    moves.remove(groupId);
  }

  @Override
  public synchronized boolean keepsOldCopy(
      UUID groupId, String hostId, long generation, Duration patience) {
    Move m = moves.get(groupId);
    return m != null && m.fromHost().equals(hostId) && m.fromGeneration() == generation;
  }
}
