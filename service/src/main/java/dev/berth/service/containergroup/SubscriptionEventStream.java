package dev.berth.service.containergroup;

import java.util.List;
import java.util.UUID;

/**
 * The {@link StreamEvent}s of every group, in one order all readers agree on, for the
 * subscription-wide stream and webhooks. An event is read only once nothing that commits later can
 * come before it, so a reader that resumes after a {@link Position} misses nothing and sees nothing
 * twice.
 */
public interface SubscriptionEventStream {

  /**
   * Where an event stands in the stream: the writing transaction's id, then the group and the
   * event's number in the group's stream. Its text form ({@code xid.group.seq}) is the SSE id.
   */
  record Position(long xid, UUID groupId, long seq) implements Comparable<Position> {

    /** Before every event. */
    public static final Position START = new Position(0, new UUID(0, 0), 0);

    @Override
    public int compareTo(Position o) {
      int c = Long.compareUnsigned(xid, o.xid);
      if (c == 0) {
        // As PostgreSQL orders uuids: as unsigned bytes (UUID.compareTo compares signed longs).
        c =
            Long.compareUnsigned(
                groupId.getMostSignificantBits(), o.groupId.getMostSignificantBits());
      }
      if (c == 0) {
        c =
            Long.compareUnsigned(
                groupId.getLeastSignificantBits(), o.groupId.getLeastSignificantBits());
      }
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
      return xid + "." + groupId + "." + seq;
    }

    /** The position an id names, or null when it is not one. */
    public static Position parse(String id) {
      String[] parts = id.trim().split("\\.");
      if (parts.length != 3) {
        return null;
      }
      try {
        Position p =
            new Position(
                Long.parseLong(parts[0]), UUID.fromString(parts[1]), Long.parseLong(parts[2]));
        return p.xid >= 0 && p.seq >= 0 ? p : null;
      } catch (IllegalArgumentException notAPosition) {
        return null;
      }
    }
  }

  /** An event with where it stands and which group it is of. */
  record Streamed(
      Position position,
      String subscriptionId,
      String resourceGroup,
      String groupName,
      StreamEvent event) {}

  /** Every subscription's events after {@code after} that are final, oldest first. */
  List<Streamed> after(Position after, int limit);

  /**
   * One subscription's events after {@code after} and at most {@code through} (null: every one that
   * is final), oldest first.
   */
  List<Streamed> after(String subscriptionId, Position after, Position through, int limit);

  /** The position of the newest event that is final; {@link Position#START} when there is none. */
  Position end();
}
