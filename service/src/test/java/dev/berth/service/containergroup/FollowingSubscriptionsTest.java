package dev.berth.service.containergroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One reader for every follower: catch-up, joining, each event handed once, slow followers. */
class FollowingSubscriptionsTest {

  /** The stream in memory: every event is final once added. */
  static final class InMemoryStream implements SubscriptionEventStream {
    final List<Streamed> events = new ArrayList<>();
    int reads;

    synchronized Streamed add(String subscription) {
      Streamed p =
          new Streamed(
              new Position(events.size() + 1, UUID.randomUUID(), 1),
              subscription,
              "rg",
              "g" + events.size(),
              new StreamEvent(
                  StreamEvent.STATE_CHANGED,
                  Instant.EPOCH,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "Running",
                  null,
                  null));
      events.add(p);
      return p;
    }

    @Override
    public synchronized List<Streamed> after(Position after, int limit) {
      reads++;
      return events.stream().filter(p -> p.position().compareTo(after) > 0).limit(limit).toList();
    }

    @Override
    public synchronized List<Streamed> after(
        String subscriptionId, Position after, Position through, int limit) {
      return events.stream()
          .filter(p -> p.subscriptionId().equals(subscriptionId))
          .filter(p -> p.position().compareTo(after) > 0)
          .filter(p -> through == null || p.position().compareTo(through) <= 0)
          .limit(limit)
          .toList();
    }

    @Override
    public synchronized Position end() {
      return events.isEmpty() ? Position.START : events.get(events.size() - 1).position();
    }
  }

  /** What a follower was handed. */
  static final class Received implements FollowingSubscriptions.Sink {
    final List<Streamed> got = new ArrayList<>();
    boolean refuse;

    @Override
    public boolean take(List<Streamed> events) {
      if (refuse) {
        return false;
      }
      got.addAll(events);
      return true;
    }
  }

  final InMemoryStream stream = new InMemoryStream();
  // The timer never fires: each test reads when it says so.
  final FollowingSubscriptions following = new FollowingSubscriptions(stream, Duration.ofHours(1));

  @AfterEach
  void close() {
    following.close();
  }

  @Test
  void aFollowerFromNowGetsWhatComesAndOneFromEarlierCatchesUpFirstEachOnce() {
    Streamed a1 = stream.add("a");
    Streamed a2 = stream.add("a");
    stream.add("b");
    following.read();

    Received fromNow = new Received();
    following.follow("a", null, fromNow);
    Received fromStart = new Received();
    following.follow("a", Position.START, fromStart);
    assertThat(fromNow.got).isEmpty();
    assertThat(fromStart.got).containsExactly(a1, a2);

    Streamed a3 = stream.add("a");
    stream.add("b");
    Streamed a4 = stream.add("a");
    following.read();
    assertThat(fromNow.got).containsExactly(a3, a4);
    assertThat(fromStart.got).containsExactly(a1, a2, a3, a4);
    assertThat(following.followers()).isEqualTo(2);
  }

  @Test
  void aFollowerAheadOfTheReaderIsNotHandedWhatItHadAgain() {
    following.read();
    Streamed a1 = stream.add("a");
    Streamed a2 = stream.add("a");
    // It had a2 from another replica whose reader was ahead; this one's has not read yet.
    Received ahead = new Received();
    following.follow("a", a2.position(), ahead);
    Streamed a3 = stream.add("a");
    following.read();
    assertThat(ahead.got).containsExactly(a3);
    assertThat(a1.position()).isLessThan(a2.position());
  }

  @Test
  void oneReadServesEveryFollowerAndAFollowerThatRefusesOrClosesIsDropped() {
    following.read();
    List<Received> many = new ArrayList<>();
    List<FollowingSubscriptions.Follow> follows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Received r = new Received();
      many.add(r);
      follows.add(following.follow(i % 2 == 0 ? "a" : "b", null, r));
    }
    Streamed a = stream.add("a");
    Streamed b = stream.add("b");
    int readsBefore = stream.reads;
    following.read();
    assertThat(stream.reads - readsBefore).as("queries for 100 followers").isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      assertThat(many.get(i).got).containsExactly(i % 2 == 0 ? a : b);
    }

    many.get(0).refuse = true;
    follows.get(1).close();
    stream.add("a");
    stream.add("b");
    following.read();
    assertThat(following.followers()).isEqualTo(98);
  }

  @Test
  void whileNobodyFollowsTheReaderReadsNoEvent() {
    for (int i = 0; i < 5; i++) {
      stream.add("a");
    }
    int readsBefore = stream.reads;
    following.read();
    assertThat(stream.reads).as("no event read for nobody").isEqualTo(readsBefore);
    Received late = new Received();
    following.follow("a", null, late);
    Streamed next = stream.add("a");
    following.read();
    assertThat(late.got).containsExactly(next);
  }
}
