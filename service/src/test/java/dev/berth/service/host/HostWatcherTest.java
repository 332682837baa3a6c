package dev.berth.service.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The owner's watch of its hosts, on a fake engine, an in-memory registry and a hand-advanced
 * clock: silent, lost, and swept twice before it is Ready again.
 */
class HostWatcherTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final FakeContainerRuntime engine = new FakeContainerRuntime(clock);
  private final Registry registry = new Registry();
  private final List<String> changed = new ArrayList<>();
  private final List<String> sweeps = new ArrayList<>();

  /** Per answered check: whether the engine was asked to describe itself, not only pinged. */
  private final List<Boolean> described = new ArrayList<>();

  private boolean sweepFails;
  private final HostPool pool =
      new HostPool(
          registry,
          d ->
              new GuardedContainerRuntime(
                  connected(d).id(),
                  engine,
                  // A breaker that never opens: the pings' answers are this test's subject.
                  new GuardedContainerRuntime.Guards(
                      100,
                      100,
                      100f,
                      Duration.ofSeconds(1),
                      4,
                      32,
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(5))));
  private final HostOwnership ownership =
      new HostOwnership(
          "me",
          new OwnEverything(),
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          () -> 0,
          h -> {});
  private final HostWatcher watcher =
      new HostWatcher(
          registry,
          pool,
          ownership,
          Duration.ofSeconds(30),
          this::sweep,
          changed::add,
          Runnable::run);

  /** The endpoints this replica connected to, in order. */
  private final List<String> connections = new ArrayList<>();

  private HostDefinition connected(HostDefinition definition) {
    connections.add(definition.endpoint());
    return definition;
  }

  private static HostDefinition h1(String endpoint) {
    return new HostDefinition(
        "h1",
        endpoint,
        null,
        null,
        Map.of(),
        1.0,
        1.0,
        List.of(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1));
  }

  HostWatcherTest() {
    registry.register(h1("unix:///fake.sock"), new HostDescription(2, 1L << 30, "fake"));
    ownership.renew();
  }

  private void sweep(String hostId, ContainerRuntime runtime) {
    if (sweepFails) {
      throw new RuntimeFailure(RuntimeFailure.Kind.HOST_UNREACHABLE, "still unreachable");
    }
    sweeps.add(hostId);
  }

  private HostState state() {
    return registry.find("h1").orElseThrow().state();
  }

  @Test
  void aHostThatStopsAnsweringIsSilentThenLostAndReadyOnlyAfterTwoSweeps() {
    watcher.tick();
    assertThat(state()).isEqualTo(HostState.READY);
    assertThat(changed).isEmpty();

    engine.setReachable(false);
    now = now.plusSeconds(2);
    watcher.tick();
    assertThat(state()).isEqualTo(HostState.SILENT);
    assertThat(changed).containsExactly("h1");

    now = now.plusSeconds(20);
    watcher.tick();
    assertThat(state()).as("silent for 22 s of 30").isEqualTo(HostState.SILENT);

    now = now.plusSeconds(10);
    watcher.tick();
    assertThat(state()).isEqualTo(HostState.LOST);
    assertThat(changed).containsExactly("h1", "h1");

    engine.setReachable(true);
    sweepFails = true;
    now = now.plusSeconds(2);
    watcher.tick();
    assertThat(state()).as("answers, but is not swept yet").isEqualTo(HostState.LOST);

    sweepFails = false;
    watcher.tick();
    assertThat(sweeps).containsExactly("h1", "h1");
    assertThat(state()).isEqualTo(HostState.READY);
    assertThat(changed).containsExactly("h1", "h1", "h1");
  }

  @Test
  void aSilentHostThatAnswersBeforeLostAfterIsReadyWithoutASweep() {
    engine.setReachable(false);
    watcher.tick();
    now = now.plusSeconds(10);
    engine.setReachable(true);
    watcher.tick();

    assertThat(state()).isEqualTo(HostState.READY);
    assertThat(sweeps).isEmpty();
    assertThat(registry.find("h1").orElseThrow().health().answeredAgainAt()).isEqualTo(now);
  }

  @Test
  void anAnsweringHostIsPingedAndDescribedOnlyAtFirstAndAfterSilence() {
    watcher.tick();
    watcher.tick();
    watcher.tick();
    assertThat(described).containsExactly(true, false, false);

    engine.setReachable(false);
    watcher.tick();
    engine.setReachable(true);
    watcher.tick();
    watcher.tick();
    assertThat(described).containsExactly(true, false, false, true, false);
    assertThat(state()).isEqualTo(HostState.READY);
  }

  @Test
  void aReplicaThatDoesNotOwnAHostStillFollowsItsRegistrationAndRemoval() {
    HostWatcher bystander =
        new HostWatcher(
            registry,
            pool,
            // Never renewed, so it owns nothing: it only holds connections, for logs and exec.
            new HostOwnership(
                "other",
                new OwnEverything(),
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                () -> 0,
                h -> {}),
            Duration.ofSeconds(30),
            this::sweep,
            changed::add,
            Runnable::run);
    ContainerRuntime first = pool.forHost("h1");
    bystander.tick();
    assertThat(pool.forHost("h1")).isSameAs(first);

    registry.register(h1("unix:///moved.sock"), new HostDescription(2, 1L << 30, "fake"));
    bystander.tick();
    assertThat(pool.forHost("h1")).isNotSameAs(first);
    assertThat(connections).containsExactly("unix:///fake.sock", "unix:///moved.sock");

    registry.hosts.remove("h1");
    bystander.tick();
    assertThatThrownBy(() -> pool.forHost("h1"))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("not registered");
    assertThat(described).as("a bystander pings nothing").isEmpty();
  }

  /** Leases that are always granted: this test is about health, not ownership. */
  private static final class OwnEverything implements HostLeases {
    private final AtomicLong epoch = new AtomicLong();

    @Override
    public Map<String, Long> renew(String replica, Duration duration, Map<String, Long> held) {
      return held;
    }

    @Override
    public Map<String, Long> acquire(
        String replica, Duration duration, int max, java.util.Set<String> held) {
      return held.contains("h1") ? Map.of() : Map.of("h1", epoch.incrementAndGet());
    }

    @Override
    public int liveReplicas(Duration duration) {
      return 1;
    }

    @Override
    public int hostCount() {
      return 1;
    }

    @Override
    public void release(String replica, java.util.Set<String> hosts) {}

    @Override
    public void releaseAll(String replica) {}

    @Override
    public boolean holds(String hostId, String replica, long epoch) {
      return true;
    }
  }

  /** The registry's rules on a map, times from the test's clock. */
  private final class Registry implements HostRegistry {
    private final Map<String, RegisteredHost> hosts = new HashMap<>();

    @Override
    public synchronized List<RegisteredHost> all() {
      return List.copyOf(hosts.values());
    }

    @Override
    public synchronized Optional<RegisteredHost> find(String hostId) {
      return Optional.ofNullable(hosts.get(hostId));
    }

    @Override
    public synchronized boolean register(HostDefinition d, HostDescription engine) {
      hosts.put(
          d.id(),
          new RegisteredHost(
              d,
              HostState.READY,
              d.allocatable(engine),
              engine.engineVersion(),
              new RegisteredHost.Health(now, null, now, null, null, null),
              "me",
              now,
              null,
              false));
      return true;
    }

    private void health(String id, RegisteredHost.Health health) {
      RegisteredHost h = hosts.get(id);
      hosts.put(
          id,
          new RegisteredHost(
              h.definition(),
              h.adminState(),
              h.allocatable(),
              h.engineVersion(),
              health,
              h.owner(),
              h.registeredAt(),
              h.drain(),
              h.removing()));
    }

    @Override
    public synchronized void answered(String id, HostDescription engine, String breaker) {
      described.add(engine != null);
      var h = hosts.get(id).health();
      health(
          id,
          new RegisteredHost.Health(
              now,
              null,
              h.silentSince() != null ? now : h.answeredAgainAt(),
              h.lostAt(),
              null,
              breaker));
    }

    @Override
    public synchronized void silent(String id, String error, String breaker) {
      var h = hosts.get(id).health();
      health(
          id,
          new RegisteredHost.Health(
              h.lastAnswerAt(),
              h.silentSince() == null ? h.lastAnswerAt() : h.silentSince(),
              h.answeredAgainAt(),
              h.lostAt(),
              error,
              breaker));
    }

    @Override
    public synchronized boolean declareLostIfSilentFor(String id, Duration lostAfter) {
      var h = hosts.get(id).health();
      if (h.lostAt() != null
          || h.silentSince() == null
          || h.silentSince().plus(lostAfter).isAfter(now)) {
        return false;
      }
      health(
          id,
          new RegisteredHost.Health(
              h.lastAnswerAt(), h.silentSince(), h.answeredAgainAt(), now, h.lastError(), null));
      return true;
    }

    @Override
    public synchronized boolean lockIfLost(String id) {
      return hosts.get(id).health().lostAt() != null;
    }

    @Override
    public synchronized void recovered(String id) {
      var h = hosts.get(id).health();
      if (h.silentSince() == null) {
        health(
            id,
            new RegisteredHost.Health(
                h.lastAnswerAt(), null, h.answeredAgainAt(), null, null, h.breakerState()));
      }
    }

    @Override
    public void setAdminState(String id, HostState state, Instant deadline) {}

    @Override
    public void drainFinished(String id) {}

    @Override
    public void markRemoving(String id) {}

    @Override
    public List<String> removeIfEmpty(String id) {
      return List.of();
    }

    @Override
    public List<String> placedGroups(String id) {
      return List.of();
    }

    @Override
    public Map<String, Occupancy> occupancy() {
      return Map.of();
    }

    @Override
    public List<GroupOnHost> groupsOn(String id) {
      return List.of();
    }
  }
}
