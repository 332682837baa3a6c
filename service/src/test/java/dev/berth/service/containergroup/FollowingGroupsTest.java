package dev.berth.service.containergroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.containergroup.GroupEventStream.Followed;
import dev.berth.service.containergroup.GroupEventStream.Numbered;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One reader for every group's followers: each event once, in order, ends, clients behind. */
class FollowingGroupsTest {

  /** Groups' streams in memory. */
  static final class InMemoryGroups implements GroupEventStream {
    final Map<UUID, List<Numbered>> events = new HashMap<>();
    final Map<UUID, GroupState> states = new HashMap<>();
    int reads;

    synchronized UUID group(GroupState state, int count) {
      UUID id = UUID.randomUUID();
      states.put(id, state);
      events.put(id, new ArrayList<>());
      add(id, count);
      return id;
    }

    synchronized void add(UUID group, int count) {
      List<Numbered> of = events.get(group);
      for (int i = 0; i < count; i++) {
        of.add(
            new Numbered(
                of.size() + 1,
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
                    null)));
      }
    }

    @Override
    public synchronized List<Numbered> after(UUID groupId, long afterSeq, int limit) {
      return events.get(groupId).stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public synchronized Optional<GroupState> stateOf(UUID groupId) {
      return Optional.ofNullable(states.get(groupId));
    }

    @Override
    public synchronized Map<UUID, Followed> followed(Map<UUID, Long> afterSeq, int limit) {
      reads++;
      Map<UUID, Followed> read = new HashMap<>();
      afterSeq.forEach(
          (group, after) ->
              read.put(
                  group,
                  new Followed(
                      stateOf(group),
                      events.getOrDefault(group, List.of()).stream()
                          .filter(e -> e.seq() > after)
                          .limit(limit)
                          .toList())));
      return read;
    }
  }

  /** What a follower was handed; it takes nothing while {@code behind}. */
  static final class Received implements FollowingGroups.Sink {
    final List<Long> got = new ArrayList<>();
    boolean behind;
    int ended;

    @Override
    public boolean ready() {
      return !behind;
    }

    @Override
    public void take(List<Numbered> events) {
      events.forEach(e -> got.add(e.seq()));
    }

    @Override
    public void ended() {
      ended++;
    }
  }

  private final InMemoryGroups groups = new InMemoryGroups();
  private final FollowingGroups following = new FollowingGroups(groups, Duration.ofHours(1));

  @AfterEach
  void close() {
    following.close();
  }

  private static List<Long> upTo(long last) {
    return LongStream.rangeClosed(1, last).boxed().toList();
  }

  @Test
  void followersOfOneGroupFromDifferentPlacesEachGetEveryEventOnceInOrderThenTheEnd() {
    UUID group = groups.group(GroupState.RUNNING, 3);
    Received fromStart = new Received();
    Received fromTwo = new Received();
    following.follow(group, 0, fromStart);
    following.follow(group, 2, fromTwo);

    following.read();
    groups.add(group, 2);
    following.read();
    following.read();

    assertThat(fromStart.got).containsExactlyElementsOf(upTo(5));
    assertThat(fromTwo.got).containsExactly(3L, 4L, 5L);
    assertThat(fromStart.ended + fromTwo.ended).isZero();

    groups.add(group, 1);
    groups.states.put(group, GroupState.SUCCEEDED);
    following.read();
    following.read();

    assertThat(fromStart.got).containsExactlyElementsOf(upTo(6));
    assertThat(fromTwo.got).containsExactly(3L, 4L, 5L, 6L);
    assertThat(fromStart.ended).isEqualTo(1);
    assertThat(fromTwo.ended).isEqualTo(1);
    assertThat(following.followers()).isZero();
  }

  @Test
  void aFollowerBehindIsHandedNothingAndKeepsItsPlaceWhileOthersGoOn() {
    UUID stalled = groups.group(GroupState.RUNNING, 2);
    UUID other = groups.group(GroupState.RUNNING, 2);
    Received behind = new Received();
    Received reading = new Received();
    following.follow(stalled, 0, behind);
    following.follow(other, 0, reading);
    following.read();
    behind.behind = true;

    groups.add(stalled, 3);
    groups.add(other, 3);
    groups.states.put(stalled, GroupState.FAILED);
    following.read();

    assertThat(reading.got).containsExactlyElementsOf(upTo(5));
    assertThat(behind.got).containsExactly(1L, 2L);
    assertThat(behind.ended).as("not told of the end before it has every event").isZero();

    behind.behind = false;
    following.read();

    assertThat(behind.got).containsExactlyElementsOf(upTo(5));
    assertThat(behind.ended).isEqualTo(1);
    assertThat(following.followers()).isEqualTo(1);
  }

  @Test
  void aLongBacklogIsReadInBatchesWithinOnePollAndTheEndComesAfterItsLastEvent() {
    int count = FollowingGroups.BATCH * 2 + 7;
    UUID group = groups.group(GroupState.STOPPED, count);
    Received received = new Received();
    following.follow(group, 0, received);

    following.read();

    assertThat(received.got).containsExactlyElementsOf(upTo(count));
    assertThat(received.ended).isEqualTo(1);
  }

  @Test
  void aBacklogLongerThanAPollReadsGoesOnAtTheNextPollFromWhereItWas() {
    int count = FollowingGroups.BATCH * FollowingGroups.PASSES + 50;
    UUID group = groups.group(GroupState.SUCCEEDED, count);
    Received behind = new Received();
    following.follow(group, 0, behind);

    following.read();
    assertThat(behind.got).containsExactlyElementsOf(upTo(count - 50));
    assertThat(behind.ended).isZero();

    following.read();
    assertThat(behind.got).containsExactlyElementsOf(upTo(count));
    assertThat(behind.ended).isEqualTo(1);
  }

  @Test
  void oneReadServesEveryFollowerAndAGroupThatIsGoneEndsItsFollows() {
    List<Received> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      UUID group = groups.group(GroupState.RUNNING, 1);
      Received r = new Received();
      following.follow(group, 0, r);
      all.add(r);
    }
    int before = groups.reads;
    following.read();
    assertThat(groups.reads - before).as("reads for 100 followers").isEqualTo(1);
    assertThat(all).allSatisfy(r -> assertThat(r.got).containsExactly(1L));

    UUID gone = groups.states.keySet().iterator().next();
    groups.states.remove(gone);
    following.read();
    assertThat(following.followers()).isEqualTo(99);
  }

  @Test
  void aClosedFollowIsReadForNoMoreAndWhileNobodyFollowsNothingIsRead() {
    UUID group = groups.group(GroupState.RUNNING, 1);
    Received received = new Received();
    FollowingGroups.Follow follow = following.follow(group, 0, received);
    following.read();
    follow.close();
    groups.add(group, 1);
    int before = groups.reads;

    following.read();

    assertThat(groups.reads).isEqualTo(before);
    assertThat(received.got).containsExactly(1L);
  }
}
