package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each owned host's events wake the groups they concern, across a broken stream. */
class FollowingHostsTest {

  private static final String INSTALLATION = "test-installation";
  private final FakeContainerRuntime engine = new FakeContainerRuntime(Clock.systemUTC());
  private final List<UUID> woken = new CopyOnWriteArrayList<>();
  private final FollowingHosts following =
      new FollowingHosts(h -> engine, INSTALLATION, woken::add, Duration.ofMillis(300));

  @AfterEach
  void stop() {
    following.close();
  }

  private String running(UUID group, String installation) {
    String id =
        engine.create(
            new ContainerSpec(
                "c-" + UUID.randomUUID(),
                "berth/busybox:1",
                List.of("sleep", "3600"),
                Map.of(),
                Map.of(
                    Labels.MANAGED,
                    "true",
                    Labels.INSTALLATION,
                    installation,
                    Labels.GROUP_ID,
                    group.toString()),
                new ContainerResources(100_000_000L, 64L << 20),
                Isolation.hardenedDefaults()));
    engine.start(id);
    return id;
  }

  private static boolean following(String host) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("berth-events-" + host) && t.isAlive());
  }

  @Test
  void aContainerThatDiesOrIsRemovedWakesItsGroup() {
    UUID web = UUID.randomUUID();
    UUID api = UUID.randomUUID();
    String webContainer = running(web, INSTALLATION);
    String apiContainer = running(api, INSTALLATION);
    following.follow(Set.of("h1"));
    await().until(() -> following("h1"));

    engine.exit(webContainer, 137, true);
    engine.remove(apiContainer);

    await().untilAsserted(() -> assertThat(woken).contains(web, api));
  }

  @Test
  void anotherInstallationsContainersWakeNothing() {
    UUID ours = UUID.randomUUID();
    String theirs = running(UUID.randomUUID(), "another-installation");
    String mine = running(ours, INSTALLATION);
    following.follow(Set.of("h1"));
    await().until(() -> following("h1"));

    engine.exit(theirs, 1, false);
    engine.exit(mine, 1, false);

    await().untilAsserted(() -> assertThat(woken).contains(ours));
    assertThat(woken).containsOnly(ours);
  }

  @Test
  void whatHappenedWhileTheStreamWasBrokenIsDeliveredWhenItComesBack() {
    UUID web = UUID.randomUUID();
    String container = running(web, INSTALLATION);
    following.follow(Set.of("h1"));
    await().until(() -> following("h1"));

    engine.setReachable(false);
    engine.exit(container, 1, false);
    engine.setReachable(true);

    await().untilAsserted(() -> assertThat(woken).contains(web));
  }

  @Test
  void aHostNoLongerOwnedIsNoLongerFollowed() {
    following.follow(Set.of("h1", "h2"));
    await().until(() -> following("h1") && following("h2"));

    following.follow(Set.of("h2"));

    await().until(() -> !following("h1"));
    assertThat(following("h2")).isTrue();
  }
}
