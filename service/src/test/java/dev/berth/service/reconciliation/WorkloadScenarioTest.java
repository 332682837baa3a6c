package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Isolation;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.workload.ContainerNotFoundException;
import dev.berth.service.workload.FollowingContainerLogs;
import dev.berth.service.workload.ReadingContainerLogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Logs, init containers, image pulls and orphans across reconciler passes on the fake runtime. */
class WorkloadScenarioTest extends ReconcilerScenarios {

  @Test
  void orphanedContainersAreRemovedAfterTheGracePeriod() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION, moves);
    String stray =
        runtime.create(
            new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION)
                .of(
                    new ContainerGroup(
                        UUID.randomUUID(),
                        new GroupKey("sub", "rg", "gone"),
                        "local",
                        Map.of(),
                        group.spec(),
                        1,
                        group.desiredState(),
                        "{}",
                        clock.instant(),
                        0),
                    group.spec().containers().get(0),
                    null));

    assertThat(orphans.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(59));
    assertThat(orphans.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(orphans.collect("h1", runtime)).isEqualTo(1);

    assertThat(runtime.inspect(stray)).isEmpty();
    assertThat(runtime.inspect(main(group).containerId())).isPresent();
  }

  @Test
  void containersOfAnotherInstallationAreNeverCollected() {
    var group =
        create("web", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    String theirs =
        runtime.create(
            new LaunchSpecs(Isolation.hardenedDefaults(), "another-berth")
                .of(
                    new ContainerGroup(
                        UUID.randomUUID(),
                        new GroupKey("sub", "rg", "theirs"),
                        "local",
                        Map.of(),
                        group.spec(),
                        1,
                        group.desiredState(),
                        "{}",
                        clock.instant(),
                        0),
                    group.spec().containers().get(0),
                    null));
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION, moves);

    orphans.collect("h1", runtime);
    clock.advance(Duration.ofHours(1));

    assertThat(orphans.collect("h1", runtime)).isZero();
    assertThat(runtime.inspect(theirs)).isPresent();
  }

  @Test
  void eachRunsOutputIsKeptAndReadableAfterRestartsAndRemoval() {
    var group =
        create("chatty", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = main(group).containerId();
    var logs = new ReadingContainerLogs(stores, stores, host -> runtime);
    runtime.write(id, "first run says hello");
    clock.advance(Duration.ofSeconds(3));
    runtime.exit(id, 1, false);
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(1));
    runtime.write(id, "second run says hello");

    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("second run says hello");
    assertThat(logs.read(group.key(), "main", true).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("first run says hello");

    // Once the container is gone, the kept copy still answers.
    new StoppingContainerGroup(stores, reconciler::reconcile).stop(group.key());
    runtime.remove(id);
    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("second run says hello");
    assertThatThrownBy(() -> logs.read(group.key(), "nope", false))
        .isInstanceOf(ContainerNotFoundException.class);
  }

  @Test
  void aFollowHearsEachLineOnceAcrossRestartsAndEndsWithTheGroup() {
    var group =
        create("followed", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = main(group).containerId();
    var reading = new ReadingContainerLogs(stores, stores, host -> runtime);
    var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (var following = new FollowingContainerLogs(stores, reading, host -> runtime, timer)) {
      runtime.write(id, "one");
      Heard heard = new Heard();

      following.follow(group.key(), "main", null, null, heard).orElseThrow();
      Awaitility.await().until(() -> heard.texts().equals(List.of("one")));
      runtime.write(id, "two");
      Awaitility.await().until(() -> heard.texts().equals(List.of("one", "two")));

      // The container exits and is started again by the restart policy: the same follow goes on.
      runtime.exit(id, 1, false);
      reconciler.reconcile(group.id());
      clock.advance(Duration.ofSeconds(10));
      reconciler.reconcile(group.id());
      assertThat(main(group).restartCount()).isEqualTo(1);
      runtime.write(id, "three");
      Awaitility.await().until(() -> heard.texts().equals(List.of("one", "two", "three")));

      new StoppingContainerGroup(stores, reconciler::reconcile).stop(group.key());
      Awaitility.await().until(() -> heard.ended.get() != null);
      assertThat(heard.ended.get()).isTrue();
      assertThat(heard.texts()).containsExactly("one", "two", "three");

      // From the first line's time, as a client reconnecting with Last-Event-ID: the rest, once.
      Heard resumed = new Heard();
      following.follow(group.key(), "main", heard.lines.get(0).time(), null, resumed);
      Awaitility.await().until(() -> resumed.ended.get() != null);
      assertThat(resumed.texts()).containsExactly("two", "three");
      assertThat(following.nothingAfter(group.key(), "main", heard.lines.get(2).time())).isTrue();
      assertThat(following.nothingAfter(group.key(), "main", heard.lines.get(1).time())).isFalse();
      assertThatThrownBy(() -> following.follow(group.key(), "nope", null, null, new Heard()))
          .isInstanceOf(ContainerNotFoundException.class);
    }
  }

  /** What a follower heard, and how it ended. */
  private static final class Heard implements FollowingContainerLogs.Sink {
    final List<dev.berth.runtime.LogLine> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicReference<Boolean> ended =
        new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public void line(dev.berth.runtime.LogLine line) {
      lines.add(line);
    }

    @Override
    public void end(boolean groupEnded) {
      assertThat(ended.getAndSet(groupEnded)).as("ended once").isNull();
    }

    List<String> texts() {
      return lines.stream().map(dev.berth.runtime.LogLine::text).toList();
    }
  }

  @Test
  void initContainersRunInOrderToTheirEndBeforeTheContainers() {
    var group =
        createWithInits(
            "ordered", RestartPolicy.ALWAYS, "echo first; exit 0", "echo second; exit 0");

    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0");
    assertThat(status(group).state()).isEqualTo(GroupState.PENDING);
    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0", "init-1");
    reconciler.reconcile(group.id());

    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0", "init-1", "main");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
    assertThat(status(group).initContainers()).allSatisfy(c -> assertThat(c.succeeded()).isTrue());
    // Done once: later passes do not run them again.
    reconciler.reconcile(group.id());
    assertThat(runtime.createCount()).isEqualTo(4);
  }

  @Test
  void aFailedInitContainerFailsANeverGroupAndNothingElseStarts() {
    var group = createWithInits("broken", RestartPolicy.NEVER, "exit 3", "exit 0");
    reconciler.reconcile(group.id());
    reconciler.reconcile(group.id());

    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(status(group).initContainer("init-0").orElseThrow().currentState().exitCode())
        .isEqualTo(3);
    assertThat(containersOnEngine(group)).containsExactly("_sandbox", "init-0");
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void aFailedInitContainerIsRetriedWithBackoffUnderOtherPolicies() {
    var group = createWithInits("retry", RestartPolicy.ALWAYS, "exit 3");
    reconciler.reconcile(group.id());
    var init = status(group).initContainer("init-0").orElseThrow();
    assertThat(init.currentState().detailStatus()).isEqualTo("CrashLoopBackOff");
    assertThat(status(group).state()).isEqualTo(GroupState.PENDING);

    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());

    assertThat(status(group).initContainer("init-0").orElseThrow().restartCount()).isEqualTo(1);
    assertThat(containersOnEngine(group)).doesNotContain("main");
  }

  @Test
  void aLineTheEngineStampsAfterItsRunFinishedStaysWithThatRun() {
    var group =
        create("late", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    String id = main(group).containerId();
    var logs = new ReadingContainerLogs(stores, stores, host -> runtime);
    runtime.write(id, "run one");
    runtime.exit(id, 1, false);
    clock.advance(Duration.ofMillis(50));
    runtime.write(id, "run one, read late");
    reconciler.reconcile(group.id());
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    runtime.write(id, "run two");

    assertThat(logs.read(group.key(), "main", false).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("run two");
    assertThat(logs.read(group.key(), "main", true).orElseThrow().lines())
        .extracting(l -> l.text())
        .containsExactly("run one", "run one, read late");
  }

  @Test
  void anImageThatHadToBePulledIsReportedWithPullingAndPulled() {
    runtime.pullable("berth/busybox:1");
    var group =
        create("pulled", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));

    reconciler.reconcile(group.id());

    assertThat(main(group).events())
        .extracting(e -> e.name())
        .containsExactly("Pulling", "Pulled", "Created", "Started");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void anImageThatCannotBePulledFailsANeverGroupWithPullingAndFailed() {
    runtime.unavailable("berth/busybox:1");
    var group =
        create(
            "unpullable", RestartPolicy.NEVER, List.of("sleep", "3600"), new Resources(500, 512));

    reconciler.reconcile(group.id());

    assertThat(main(group).events()).extracting(e -> e.name()).containsExactly("Pulling", "Failed");
    assertThat(main(group).currentState().detailStatus()).startsWith("ImageNotFound: ");
    assertThat(status(group).events()).extracting(e -> e.name()).containsExactly("Failed");
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(stores.placements).doesNotContainKey(group.id());
  }

  @Test
  void aFailedPullOfAnAlwaysGroupIsTriedAgainAfterTheBackoff() {
    runtime.unavailable("berth/busybox:1");
    var group =
        create(
            "retrypull", RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));

    reconciler.reconcile(group.id());

    assertThat(main(group).events())
        .extracting(e -> e.name())
        .containsExactly("Pulling", "Failed", "BackOff");
    assertThat(main(group).currentState().detailStatus()).startsWith("ImageNotFound: ");
    assertThat(main(group).restartAt()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(status(group).state()).isEqualTo(GroupState.PENDING);
    assertThat(stores.placements).containsKey(group.id());

    // Before the backoff has passed, nothing is tried.
    clock.advance(java.time.Duration.ofSeconds(5));
    reconciler.reconcile(group.id());
    assertThat(main(group).events()).hasSize(3);

    // The tag is pushed meanwhile: the next attempt pulls it and the group runs.
    runtime.pullableAfterAll("berth/busybox:1");
    clock.advance(java.time.Duration.ofSeconds(6));
    reconciler.reconcile(group.id());
    assertThat(main(group).events())
        .extracting(e -> e.name())
        .containsExactly("Pulling", "Failed", "BackOff", "Pulling", "Pulled", "Created", "Started");
    assertThat(status(group).state()).isEqualTo(GroupState.RUNNING);
  }

  @Test
  void volumesOfAGroupThatIsGoneAreCollectedAfterItsContainers() {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
            "main",
            "berth/busybox:1",
            List.of("sleep", "3600"),
            List.of(),
            size,
            size,
            List.of(new dev.berth.service.containergroup.Mount("scratch", "/scratch", false)));
    var spec =
        new GroupSpec(
            List.of(main),
            RestartPolicy.ALWAYS,
            "Linux",
            List.of(),
            null,
            List.of(
                new dev.berth.service.containergroup.VolumeDefinition(
                    "scratch",
                    dev.berth.service.containergroup.VolumeDefinition.Kind.EMPTY_DIR,
                    Map.of())),
            List.of(),
            null);
    var group =
        creating
            .createOrReplace(
                new CreatingContainerGroup.Request(
                    new GroupKey("sub", "rg", "withvolume"), "local", Map.of(), spec, "{}"))
            .group();
    reconciler.reconcile(group.id());
    String volume = LaunchSpecs.volumeName(group, "scratch");
    assertThat(runtime.hasVolume(volume)).isTrue();
    // The group's records vanish without its containers and volume being removed (a crash
    // mid-delete).
    stores.delete(group.id());
    var orphans = new OrphanCollector(stores, clock, Duration.ofSeconds(60), INSTALLATION, moves);

    assertThat(orphans.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(orphans.collect("h1", runtime)).isEqualTo(2);

    assertThat(runtime.hasVolume(volume)).isFalse();
    assertThat(runtime.listManaged(Map.of())).isEmpty();
  }
}
