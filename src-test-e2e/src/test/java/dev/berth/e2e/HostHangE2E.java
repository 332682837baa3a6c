package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of a dockerd (a hang, not a crash: its containers run on, unseen) until its group runs
 * elsewhere, then SIGCONT: the stale copy is killed before the host takes work again (Borg's rule),
 * and from then on no group has two running copies.
 */
class HostHangE2E {

  private static TwoEngineFleet fleet;
  private static Dockerd hung;
  private static Dockerd spare;
  private static BerthProcess berth;
  private static HostsApi hosts;
  private static ContainerGroupsApi api;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet =
        TwoEngineFleet.start(
            "hh1", "hh2", List.of("--berth.hosts.lost-after=6s", "--berth.hosts.ping-interval=1s"));
    hung = fleet.first;
    spare = fleet.second;
    berth = fleet.berth;
    hosts = fleet.hosts;
    api = fleet.api;
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void theStaleCopyOnAResumedHostIsKilledBeforeTheHostIsReady() throws Exception {
    String sub = Groups.unique("hang");
    EngineScan scan = EngineScan.localAnd(hung, spare, sub);
    try {
      Hosts.pinnedTo(
          hosts,
          hung.name(),
          () ->
              api.containerGroupsCreateOrUpdate(
                  sub, "rg", "always", API_VERSION, Groups.sleeper("Always")));
      ContainerGroup before = Groups.awaitState(api, sub, "rg", "always", "Running");
      assertThat(before.getProperties().getHostName()).isEqualTo(hung.name());
      assertThat(scan.assertNoGroupRunsTwice().enginesRunning(sub, "always"))
          .containsExactly(hung.name());

      hung.pause();
      await("the Always group to run on another host than the hung " + hung.name())
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                // The hung engine cannot be read; on those that answer there is one copy at most.
                EngineScan.Seen seen = scan.assertNoGroupRunsTwice();
                assertThat(seen.unanswered()).containsExactly(hung.name());
                ContainerGroup g = api.containerGroupsGet(sub, "rg", "always", API_VERSION);
                return "Running".equals(g.getProperties().getInstanceView().getState())
                    && !hung.name().equals(g.getProperties().getHostName())
                    && seen.enginesRunning(sub, "always").size() == 1;
              });
      String newHost =
          api.containerGroupsGet(sub, "rg", "always", API_VERSION).getProperties().getHostName();
      assertThat(hosts.getHost(hung.name()).getState()).isEqualTo(Host.StateEnum.LOST);

      long resumedAt = System.nanoTime();
      hung.resume();
      // Until the stale copy is gone the host must not be Ready: read the host first, then the
      // engines, so a Ready seen with the stale copy still running is a real violation.
      await("the stale copy on " + hung.name() + " to be killed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Host.StateEnum state = hosts.getHost(hung.name()).getState();
                EngineScan.Seen seen = scan.scan();
                boolean staleRunning =
                    seen.of(sub, "always").stream()
                        .anyMatch(c -> c.engine().equals(hung.name()) && c.running());
                assertThat(state == Host.StateEnum.READY && staleRunning)
                    .as("%s Ready while its stale copy runs: %s", hung.name(), seen)
                    .isFalse();
                return seen.unanswered().isEmpty() && !staleRunning;
              });
      System.out.printf(
          "host hang: the stale copy on %s was killed %.1f s after SIGCONT%n",
          hung.name(), (System.nanoTime() - resumedAt) / 1e9);

      // Converged: from here on, at every look, one running copy, on the new host.
      Host ready =
          awaitReadyWhile(
              () -> {
                EngineScan.Seen seen = scan.assertNoGroupRunsTwice();
                assertThat(seen.enginesRunning(sub, "always")).containsExactly(newHost);
              });
      assertThat(ready.getGroupCount()).isZero();
      ContainerGroup after = Groups.awaitState(api, sub, "rg", "always", "Running");
      assertThat(after.getProperties().getHostName()).isEqualTo(newHost);
      assertThat(scan.assertNoGroupRunsTwice().enginesRunning(sub, "always"))
          .containsExactly(newHost);

      api.containerGroupsDelete(sub, "rg", "always", API_VERSION);
      await("every container of the group to be removed, the resumed host's too")
          .atMost(Duration.ofSeconds(60))
          .until(() -> scan.scan().copies().isEmpty());
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("always"));
    }
  }

  /** Awaits the hung host Ready again, checking {@code invariant} at every poll. */
  private static Host awaitReadyWhile(Runnable invariant) throws Exception {
    await(hung.name() + " to be Ready again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              invariant.run();
              return hosts.getHost(hung.name()).getState() == Host.StateEnum.READY;
            });
    invariant.run();
    return hosts.getHost(hung.name());
  }
}
