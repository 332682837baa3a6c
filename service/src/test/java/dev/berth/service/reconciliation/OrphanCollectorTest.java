package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.VolumeDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The orphan collector's rules on the fake runtime with a hand-advanced clock. It keeps no memory,
 * so a fresh instance stands for a restarted process or for another replica.
 */
class OrphanCollectorTest extends ReconcilerScenarios {

  private static final Duration GRACE = Duration.ofSeconds(60);

  private OrphanCollector collector() {
    return new OrphanCollector(stores, clock, GRACE, INSTALLATION, moves);
  }

  private ContainerGroup running(String name) {
    var group =
        create(name, RestartPolicy.ALWAYS, List.of("sleep", "3600"), new Resources(500, 512));
    reconciler.reconcile(group.id());
    return group;
  }

  /** A container of this installation for a group that does not exist, created now. */
  private String stray(FakeContainerRuntime on) {
    var spec = running("template").spec();
    var gone =
        new ContainerGroup(
            UUID.randomUUID(),
            new GroupKey("sub", "rg", "gone"),
            "local",
            Map.of(),
            spec,
            1,
            dev.berth.service.containergroup.DesiredState.RUNNING,
            "{}",
            clock.instant(),
            0);
    return on.create(
        new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION)
            .of(gone, spec.containers().get(0), null));
  }

  /**
   * What the planner does when a host is lost: the group runs again elsewhere, a new generation.
   */
  private ContainerGroup placeAgain(ContainerGroup group, String hostId) {
    ContainerGroup next =
        stores
            .findById(group.id())
            .orElseThrow()
            .nextGeneration(group.spec(), group.location(), group.tags(), "{}");
    stores.update(next);
    GroupStatus s = status(group);
    stores.resetStatus(
        new GroupStatus(
            s.groupId(),
            next.generation(),
            s.provisioningState(),
            s.state(),
            hostId,
            s.ipAddress(),
            s.containers(),
            s.events(),
            clock.instant(),
            s.appliedRestartEpoch(),
            s.initContainers()));
    return next;
  }

  private List<String> generationsOnEngine(ContainerGroup group) {
    return runtime.listManaged(Map.of(Labels.GROUP_ID, group.id().toString())).stream()
        .map(c -> c.labels().get(Labels.GENERATION))
        .sorted()
        .toList();
  }

  @Test
  void aContainerOfTheCurrentGenerationOnItsHostIsKept() {
    var group = running("web");
    clock.advance(Duration.ofHours(1));

    assertThat(collector().collect("h1", runtime)).isZero();
    assertThat(generationsOnEngine(group)).containsExactly("1");
  }

  @Test
  void aContainerWhoseGroupLivesOnAnotherHostIsRemovedAtOnce() {
    var group = running("web");
    // This host was declared lost; the group runs on h2 now. The host comes back with its copy.
    placeAgain(group, "h2");

    assertThat(collector().collect("h1", runtime)).isEqualTo(1);
    assertThat(generationsOnEngine(group)).isEmpty();
  }

  @Test
  void anOlderGenerationOnTheGroupsOwnHostIsRemovedAtOnceAndTheCurrentOneKept() {
    var group = running("web");
    // Lost, placed again on h2, and moved back here: generation 3 belongs on h1, and the host
    // still holds its copy of generation 1 (of the same deterministic name).
    placeAgain(group, "h2");
    placeAgain(group, "h1");

    assertThat(collector().collect("h1", runtime)).isEqualTo(1);
    assertThat(generationsOnEngine(group)).isEmpty();

    reconciler.reconcile(group.id());
    assertThat(generationsOnEngine(group)).containsExactly("3");
    assertThat(collector().collect("h1", runtime)).isZero();
    assertThat(generationsOnEngine(group)).containsExactly("3");
  }

  @Test
  void aContainerWhoseGroupIsGoneIsRemovedOnceTheGraceHasPassedSinceItsCreation() {
    var group = running("web");
    String stray = stray(runtime);
    var collector = collector();

    clock.advance(GRACE.minusSeconds(1));
    assertThat(collector.collect("h1", runtime)).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(collector.collect("h1", runtime)).isEqualTo(1);

    assertThat(runtime.inspect(stray)).isEmpty();
    assertThat(generationsOnEngine(group)).containsExactly("1");
  }

  @Test
  void aRestartOfTheProcessDoesNotRestartTheGrace() {
    String stray = stray(runtime);
    clock.advance(Duration.ofSeconds(59));
    assertThat(collector().collect("h1", runtime)).isZero();

    // A new process has never swept this host; the container is as old as the engine says.
    clock.advance(Duration.ofSeconds(1));
    assertThat(collector().collect("h1", runtime)).isEqualTo(1);
    assertThat(runtime.inspect(stray)).isEmpty();
  }

  @Test
  void twoReplicasSweepingTheSameHostAgree() {
    String stray = stray(runtime);
    var sweptFromTheStart = collector();
    var joinedLater = collector();
    assertThat(sweptFromTheStart.collect("h1", runtime)).isZero();

    clock.advance(Duration.ofSeconds(50));
    assertThat(sweptFromTheStart.collect("h1", runtime)).isZero();
    assertThat(joinedLater.collect("h1", runtime)).isZero();

    // The replica that first looked ten seconds ago removes it when the other one would.
    clock.advance(Duration.ofSeconds(10));
    assertThat(joinedLater.collect("h1", runtime)).isEqualTo(1);
    assertThat(sweptFromTheStart.collect("h1", runtime)).isZero();
    assertThat(runtime.inspect(stray)).isEmpty();
  }

  @Test
  void aVolumeOfAGroupOnAnotherHostGoesWithItsContainers() {
    var group = createWithVolume("withvolume");
    reconciler.reconcile(group.id());
    String volume = LaunchSpecs.volumeName(group, "scratch");
    placeAgain(group, "h2");

    assertThat(collector().collect("h1", runtime)).isEqualTo(2);
    assertThat(runtime.hasVolume(volume)).isFalse();
  }

  @Test
  void aVolumeOfAGoneGroupWaitsForTheGraceAndForItsContainers() {
    var group = createWithVolume("withvolume");
    reconciler.reconcile(group.id());
    String volume = LaunchSpecs.volumeName(group, "scratch");
    clock.advance(Duration.ofSeconds(30));
    // A second container of the group, younger than the volume.
    var spec = group.spec().containers().get(0);
    String young =
        runtime.create(
            new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION)
                .of(
                    group,
                    new dev.berth.service.containergroup.ContainerDefinition(
                        "second",
                        spec.image(),
                        spec.command(),
                        spec.environment(),
                        spec.requests(),
                        spec.limits(),
                        spec.mounts()),
                    null));
    stores.delete(group.id());

    clock.advance(Duration.ofSeconds(30));
    // The volume and the first container are a grace old; the second is not: the volume stays.
    assertThat(collector().collect("h1", runtime)).isEqualTo(1);
    assertThat(runtime.hasVolume(volume)).isTrue();
    assertThat(runtime.inspect(young)).isPresent();

    clock.advance(Duration.ofSeconds(30));
    assertThat(collector().collect("h1", runtime)).isEqualTo(2);
    assertThat(runtime.hasVolume(volume)).isFalse();
    assertThat(runtime.listManaged(Map.of())).isEmpty();
  }

  @Test
  void aHostThatCannotBeListedFailsTheSweep() {
    running("web");
    runtime.setReachable(false);

    assertThatThrownBy(() -> collector().collect("h1", runtime))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.HOST_UNREACHABLE));
  }

  private ContainerGroup createWithVolume(String name) {
    var size = new Resources(500, 512);
    var main =
        new dev.berth.service.containergroup.ContainerDefinition(
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
            List.of(new VolumeDefinition("scratch", VolumeDefinition.Kind.EMPTY_DIR, Map.of())),
            List.of(),
            null);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name), "local", Map.of(), spec, "{}"))
        .group();
  }
}
