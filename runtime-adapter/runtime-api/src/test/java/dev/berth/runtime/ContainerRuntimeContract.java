package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do. Run against the fake ({@code
 * FakeContainerRuntimeTest}) and against a real Docker engine ({@code DockerContainerRuntimeIT}),
 * so the fake that the service's unit tests rely on cannot drift from the engine.
 */
public abstract class ContainerRuntimeContract {

  private final List<String> created = new ArrayList<>();

  /** The runtime under test. */
  protected abstract ContainerRuntime runtime();

  /** An image present on the host, with a shell at /bin/sh and sleep. */
  protected abstract String image();

  @AfterEach
  void removeCreated() {
    created.forEach(id -> runtime().remove(id));
  }

  protected ContainerSpec spec(List<String> command) {
    String name = "berth-contract-" + UUID.randomUUID().toString().substring(0, 8);
    return new ContainerSpec(
        name,
        image(),
        command,
        Map.of("GREETING", "hello"),
        Map.of(
            Labels.MANAGED,
            "true",
            Labels.GROUP_ID,
            "contract-group",
            Labels.CONTAINER,
            "main",
            Labels.GENERATION,
            "1"),
        new ContainerResources(250_000_000L, 64L << 20),
        Isolation.hardenedDefaults());
  }

  private String create(ContainerSpec spec) {
    String id = runtime().create(spec);
    created.add(id);
    return id;
  }

  /** Removes {@code containerId} after the test, like the containers this suite creates. */
  protected void created(String containerId) {
    created.add(containerId);
  }

  @Test
  void followsDeathsAndRemovalsAsTheyHappenAndReplaysThem() throws Exception {
    String group = "events-" + UUID.randomUUID();
    Map<String, String> labels = new java.util.HashMap<>(spec(List.of()).labels());
    labels.put(Labels.GROUP_ID, group);
    ContainerSpec base = spec(List.of("sh", "-c", "exit 3"));
    ContainerSpec spec =
        new ContainerSpec(
            base.name(),
            base.image(),
            base.command(),
            base.environment(),
            labels,
            base.resources(),
            base.isolation());
    String other = create(spec(List.of("sh", "-c", "exit 4")));
    java.time.Instant since = java.time.Instant.now().minusSeconds(1);
    java.time.Instant until = java.time.Instant.now().plusSeconds(10);
    List<ContainerEvent> live = new java.util.concurrent.CopyOnWriteArrayList<>();
    var follower =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> runtime().followEvents(Map.of(Labels.GROUP_ID, group), since, until, live::add));

    String id = runtime().create(spec);
    runtime().start(id);
    runtime().start(other);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runtime().inspect(id).orElseThrow().status() == ContainerStatus.EXITED);
    runtime().remove(id);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> live.stream().anyMatch(e -> e.action().equals(ContainerEvent.REMOVED)));
    // Delivered as it happened, not when the window closed.
    assertThat(java.time.Instant.now()).isBefore(until);
    follower.get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(live).extracting(ContainerEvent::containerId).containsOnly(id);
    assertThat(live)
        .extracting(ContainerEvent::action)
        .containsExactly(ContainerEvent.DIED, ContainerEvent.REMOVED);
    assertThat(live.get(0).attributes())
        .containsEntry(Labels.GROUP_ID, group)
        .containsEntry("exitCode", "3");

    List<ContainerEvent> replayed = new ArrayList<>();
    runtime().followEvents(Map.of(Labels.GROUP_ID, group), since, until, replayed::add);
    assertThat(replayed)
        .extracting(ContainerEvent::action)
        .containsExactly(ContainerEvent.DIED, ContainerEvent.REMOVED);
  }

  @Test
  void answersAPing() {
    runtime().ping();
    runtime().ping();
  }

  @Test
  void describesItsHost() {
    HostDescription host = runtime().describeHost();
    assertThat(host.cpus()).isPositive();
    assertThat(host.memoryBytes()).isPositive();
  }

  @Test
  void anImageOnTheHostNeedsNoPull() {
    assertThat(runtime().pullIfAbsent(image())).isFalse();
    assertThat(runtime().pullIfAbsent(image())).isFalse();
  }

  @Test
  void createOfAContainerWhoseImageIsAbsentFailsWithoutPulling() {
    ContainerSpec base = spec(List.of("sleep", "60"));
    ContainerSpec absent =
        new ContainerSpec(
            base.name(),
            "127.0.0.1:1/berth-contract/absent:1",
            base.command(),
            base.environment(),
            base.labels(),
            base.resources(),
            base.isolation());
    assertThatThrownBy(() -> runtime().create(absent))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> {
              assertThat(failure).isNotInstanceOf(ImagePullFailure.class);
              assertThat(failure.kind()).isEqualTo(RuntimeFailure.Kind.IMAGE_UNAVAILABLE);
            });
    assertThat(runtime().inspect(absent.name())).isEmpty();
  }

  @Test
  void tellsWhetherItHasAnImage() {
    assertThat(runtime().hasImage(image())).isTrue();
    assertThat(runtime().hasImage("127.0.0.1:1/berth-contract/absent:1")).isFalse();
  }

  @Test
  void aPullFromARegistryNobodyListensOnSaysItIsUnreachable() {
    List<PullProgress> seen = new ArrayList<>();
    assertThatThrownBy(
            () ->
                runtime()
                    .pull(
                        "127.0.0.1:1/berth-contract/absent:1",
                        new RegistryAuth("127.0.0.1:1", "someone", "not-this"),
                        Duration.ofSeconds(30),
                        seen::add))
        .isInstanceOfSatisfying(
            ImagePullFailure.class,
            failure -> {
              assertThat(failure.reason())
                  .as(failure.getMessage())
                  .isEqualTo(ImagePullFailure.Reason.UNREACHABLE);
              assertThat(failure.kind()).isEqualTo(RuntimeFailure.Kind.IMAGE_UNAVAILABLE);
              assertThat(failure.getMessage()).doesNotContain("not-this");
            });
    assertThat(seen).isEmpty();
  }

  @Test
  void listsItsImagesAndRefusesToRemoveOneInUse() {
    String id = create(spec(List.of("sleep", "30")));
    assertThat(id).isNotBlank();
    HostImage used =
        runtime().listImages().stream()
            .filter(i -> i.references().contains(image()))
            .findFirst()
            .orElseThrow();
    assertThat(used.inUse()).isTrue();
    assertThat(used.sizeBytes()).isPositive();
    assertThat(used.lastUsed()).isNotNull();
    assertThatThrownBy(() -> runtime().removeImage(used.id()))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> assertThat(failure.kind()).isEqualTo(RuntimeFailure.Kind.CONFLICT));
    assertThat(runtime().hasImage(image())).isTrue();
    runtime().removeImage("sha256:" + "0".repeat(64));
  }

  @Test
  void createdContainerCarriesLabelsAndLimitsAndHasNotRun() {
    ContainerSpec spec = spec(List.of("sleep", "30"));
    String id = create(spec);

    ContainerObservation seen = runtime().inspect(id).orElseThrow();
    assertThat(seen.name()).isEqualTo(spec.name());
    assertThat(seen.status()).isEqualTo(ContainerStatus.CREATED);
    assertThat(seen.labels()).containsAllEntriesOf(spec.labels());
    assertThat(seen.resources()).isEqualTo(spec.resources());
    assertThat(seen.startedAt()).isNull();
    assertThat(seen.finishedAt()).isNull();
  }

  @Test
  void createIsIdempotentByName() {
    ContainerSpec spec = spec(List.of("sleep", "30"));
    String first = create(spec);
    assertThat(runtime().create(spec)).isEqualTo(first);
  }

  @Test
  void createRefusesToAdoptANameHeldWithOtherLabels() {
    ContainerSpec first = spec(List.of("sleep", "30"));
    create(first);
    Map<String, String> otherGeneration = new java.util.HashMap<>(first.labels());
    otherGeneration.put(Labels.GENERATION, "2");
    ContainerSpec second =
        new ContainerSpec(
            first.name(),
            first.image(),
            first.command(),
            first.environment(),
            otherGeneration,
            first.resources(),
            first.isolation());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime().create(second))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.CONFLICT));
  }

  @Test
  void startedContainerRunsWithAStartTimeAndNoFinishTime() {
    String id = create(spec(List.of("sleep", "30")));
    runtime().start(id);
    runtime().start(id);

    ContainerObservation seen = runtime().inspect(id).orElseThrow();
    assertThat(seen.status()).isEqualTo(ContainerStatus.RUNNING);
    assertThat(seen.startedAt()).isNotNull();
    assertThat(seen.finishedAt()).isNull();
    assertThat(seen.exitCode()).isNull();
  }

  @Test
  void aRunningContainerHasAnAddressOfItsOwnAndAStoppedOneNone() {
    String id = create(spec(List.of("sleep", "30")));
    assertThat(runtime().inspect(id).orElseThrow().ipAddress()).isNull();
    runtime().start(id);

    assertThat(runtime().inspect(id).orElseThrow().ipAddress())
        .matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    runtime().stop(id, Duration.ofSeconds(1));
    assertThat(runtime().inspect(id).orElseThrow().ipAddress()).isNull();
  }

  @Test
  void containerThatExitsReportsItsExitCodeAndTimes() {
    String id = create(spec(List.of("sh", "-c", "exit 3")));
    runtime().start(id);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runtime().inspect(id).orElseThrow().status() == ContainerStatus.EXITED);
    ContainerObservation seen = runtime().inspect(id).orElseThrow();
    assertThat(seen.exitCode()).isEqualTo(3);
    assertThat(seen.oomKilled()).isFalse();
    // Both times, from the engine. Not ordered to the nanosecond: for a process that exits at once,
    // Docker 20.10 can record a FinishedAt a fraction of a millisecond before the StartedAt it
    // records after starting it (seen here). Users of these times must allow for that.
    assertThat(seen.startedAt()).isNotNull();
    assertThat(seen.finishedAt()).isAfterOrEqualTo(seen.startedAt().minusSeconds(1));
  }

  @Test
  void stopEndsARunningContainerAndIsIdempotent() {
    String id = create(spec(List.of("sleep", "300")));
    runtime().start(id);
    runtime().stop(id, Duration.ofSeconds(5));
    runtime().stop(id, Duration.ofSeconds(5));

    ContainerObservation seen = runtime().inspect(id).orElseThrow();
    assertThat(seen.status()).isEqualTo(ContainerStatus.EXITED);
    assertThat(seen.finishedAt()).isNotNull();
  }

  @Test
  void removeMakesItAbsentAndIsIdempotent() {
    String id = create(spec(List.of("sleep", "300")));
    runtime().start(id);
    runtime().remove(id);
    runtime().remove(id);
    assertThat(runtime().inspect(id)).isEmpty();
  }

  @Test
  void listsManagedContainersWithTheirLabels() {
    ContainerSpec spec = spec(List.of("sleep", "30"));
    String id = create(spec);
    assertThat(runtime().listManaged(Map.of(Labels.GROUP_ID, "someone-else")))
        .noneMatch(c -> c.id().equals(id));
    assertThat(runtime().listManaged(Map.of(Labels.GROUP_ID, "contract-group")))
        .anySatisfy(
            c -> {
              assertThat(c.id()).isEqualTo(id);
              assertThat(c.name()).isEqualTo(spec.name());
              assertThat(c.labels()).containsEntry(Labels.GROUP_ID, "contract-group");
            });
  }

  /**
   * The listing tells when the engine created each container and volume: the orphan collector
   * measures its grace from this, a fact that survives every restart of Berth. The engine lists
   * whole seconds; the runtime under test shares this machine's clock.
   */
  @Test
  void listingsTellWhenTheEngineCreatedEachContainerAndVolume() {
    java.time.Instant before =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String id = create(spec(List.of("sleep", "30")));
    String volume = "berth-contract-" + UUID.randomUUID().toString().substring(0, 8);
    runtime()
        .ensureVolume(volume, Map.of(Labels.MANAGED, "true", Labels.GROUP_ID, "contract-group"));
    try {
      java.time.Instant after = java.time.Instant.now();

      assertThat(runtime().listManaged(Map.of(Labels.GROUP_ID, "contract-group")))
          .filteredOn(c -> c.id().equals(id))
          .singleElement()
          .satisfies(c -> assertThat(c.createdAt()).isBetween(before, after));
      assertThat(runtime().listManagedVolumes(Map.of(Labels.GROUP_ID, "contract-group")))
          .filteredOn(v -> v.name().equals(volume))
          .singleElement()
          .satisfies(v -> assertThat(v.createdAt()).isBetween(before, after));
    } finally {
      runtime().removeVolume(volume);
    }
  }

  @Test
  void logsKeepBothStreamsInOrderWithTheEnginesTimes() {
    String id = create(spec(List.of("sh", "-c", "echo one; echo two >&2; echo three; exit 0")));
    runtime().start(id);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runtime().inspect(id).orElseThrow().status() == ContainerStatus.EXITED);
    ContainerObservation run = runtime().inspect(id).orElseThrow();

    List<LogLine> lines = runtime().logs(id, null, 100);

    // Each stream keeps its order; across streams the engine's timestamps order them.
    assertThat(lines).extracting(LogLine::text).containsExactlyInAnyOrder("one", "two", "three");
    assertThat(lines.stream().filter(l -> l.stream() == LogLine.Stream.STDOUT).map(LogLine::text))
        .containsExactly("one", "three");
    assertThat(lines.stream().filter(l -> l.stream() == LogLine.Stream.STDERR).map(LogLine::text))
        .containsExactly("two");
    assertThat(lines).isSortedAccordingTo(java.util.Comparator.comparing(LogLine::time));
    // The engine stamps a line when it reads it: a line written at once can carry a time a little
    // before the StartedAt it records, so only closeness is part of the contract.
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l.time())
                    .isBetween(run.startedAt().minusSeconds(1), run.finishedAt().plusSeconds(1)));
    assertThat(runtime().logs(id, null, 1)).hasSize(1);
    assertThat(runtime().logs(id, run.finishedAt().plusSeconds(1), 100)).isEmpty();
  }

  @Test
  void aFollowGetsEveryLineOnceInOrderAndEndsWhenTheContainerStops() {
    String id =
        create(spec(List.of("sh", "-c", "echo one; echo two; sleep 1; echo three; exit 0")));
    runtime().start(id);
    List<LogLine> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger ends =
        new java.util.concurrent.atomic.AtomicInteger();

    LogFollow follow = runtime().followLogs(id, null, heard::add, ends::incrementAndGet);

    await().atMost(Duration.ofSeconds(30)).until(() -> ends.get() == 1);
    assertThat(heard).extracting(LogLine::text).containsExactly("one", "two", "three");
    follow.close();
    assertThat(ends).hasValue(1);

    // From a cursor: only what was stamped after it.
    List<LogLine> rest = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean restEnded =
        new java.util.concurrent.atomic.AtomicBoolean();
    runtime().followLogs(id, heard.get(0).time(), rest::add, () -> restEnded.set(true));
    await().atMost(Duration.ofSeconds(30)).untilTrue(restEnded);
    assertThat(rest).extracting(LogLine::text).containsExactly("two", "three");
  }

  @Test
  void closingAFollowOfARunningContainerEndsIt() {
    String id = create(spec(List.of("sleep", "300")));
    runtime().start(id);
    java.util.concurrent.atomic.AtomicInteger ends =
        new java.util.concurrent.atomic.AtomicInteger();

    LogFollow follow = runtime().followLogs(id, null, line -> {}, ends::incrementAndGet);
    follow.close();
    follow.close();

    await().atMost(Duration.ofSeconds(30)).until(() -> ends.get() == 1);
    assertThat(ends).hasValue(1);
    assertThatThrownBy(() -> runtime().followLogs("no-such-container", null, l -> {}, () -> {}))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.NOT_FOUND));
  }

  @Test
  void aRunningContainersUsageIsCountedAndAStoppedOneHasNone() {
    String id = create(spec(List.of("sleep", "300")));
    assertThat(runtime().usage(id)).as("created, not started").isEmpty();
    runtime().start(id);

    ContainerUsage usage = runtime().usage(id).orElseThrow();

    assertThat(usage.cpuNanos()).isPositive();
    assertThat(usage.memoryUsageBytes()).isPositive();
    assertThat(usage.memoryWorkingSetBytes())
        .isPositive()
        .isLessThanOrEqualTo(usage.memoryUsageBytes());
    assertThat(usage.networkReceiveBytes()).as("its own network namespace").isNotNull();
    assertThat(usage.at())
        .isBetween(
            java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(60));
    runtime().stop(id, Duration.ofSeconds(1));
    assertThat(runtime().usage(id)).isEmpty();
    runtime().remove(id);
    assertThat(runtime().usage(id)).isEmpty();
  }

  @Test
  void execRunsAnArgvAndReturnsItsOutputAndExitCode() {
    String id = create(spec(List.of("sleep", "300")));
    runtime().start(id);

    ExecResult echo =
        runtime().exec(id, List.of("echo", "hello", "world"), Duration.ofSeconds(30), 1 << 20);
    assertThat(echo.exitCode()).isZero();
    assertThat(echo.stdout()).isEqualTo("hello world\n");
    assertThat(echo.stderr()).isEmpty();

    ExecResult failing =
        runtime()
            .exec(id, List.of("sh", "-c", "echo bad >&2; exit 4"), Duration.ofSeconds(30), 1 << 20);
    assertThat(failing.exitCode()).isEqualTo(4);
    assertThat(failing.stderr()).isEqualTo("bad\n");
  }

  @Test
  void anInteractiveSessionCarriesInputAndOutputAndEnds() throws Exception {
    String id = create(spec(List.of("sleep", "300")));
    runtime().start(id);
    StringBuffer seen = new StringBuffer();
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    ExecSession session =
        runtime()
            .openExec(
                id,
                List.of("cat"),
                24,
                80,
                bytes -> seen.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)),
                ended::countDown);
    session.resize(40, 120);
    session.write("hello terminal\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(30)).until(() -> seen.toString().contains("hello terminal"));
    session.close();
    session.close();
    assertThat(ended.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aDnsConfigIsTheResolvConfOfTheContainerAndOfThoseJoiningItsNetwork() {
    DnsConfig dns =
        new DnsConfig(
            List.of("10.53.0.1", "10.53.0.2"),
            List.of("team.example", "example"),
            List.of("ndots:2", "timeout:1"));
    ContainerSpec holder = spec(List.of("sleep", "300")).withDns(dns);
    String holderId = create(holder);
    runtime().start(holderId);
    ContainerSpec base = spec(List.of("sleep", "300"));
    String joinerId =
        create(
            new ContainerSpec(
                base.name(),
                base.image(),
                base.command(),
                base.environment(),
                base.labels(),
                base.resources(),
                base.isolation(),
                List.of(),
                holder.name(),
                List.of()));
    runtime().start(joinerId);

    for (String id : List.of(holderId, joinerId)) {
      String resolvConf =
          runtime()
              .exec(id, List.of("cat", "/etc/resolv.conf"), Duration.ofSeconds(30), 1 << 16)
              .stdout();
      assertThat(resolvConf.lines().map(String::trim))
          .contains(
              "nameserver 10.53.0.1",
              "nameserver 10.53.0.2",
              "search team.example example",
              "options ndots:2 timeout:1");
    }
    String plain = create(spec(List.of("sleep", "300")));
    runtime().start(plain);
    assertThat(
            runtime()
                .exec(plain, List.of("cat", "/etc/resolv.conf"), Duration.ofSeconds(30), 1 << 16)
                .stdout())
        .doesNotContain("10.53.0.1");
  }

  @Test
  void execInAContainerThatIsNotRunningIsAConflict() {
    String id = create(spec(List.of("sleep", "300")));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> runtime().exec(id, List.of("echo", "x"), Duration.ofSeconds(10), 1024))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.CONFLICT));
  }

  @Test
  void volumesAreCreatedAndRemovedIdempotently() {
    String volume = "berth-contract-" + UUID.randomUUID().toString().substring(0, 8);
    runtime().ensureVolume(volume, Map.of(Labels.MANAGED, "true"));
    runtime().ensureVolume(volume, Map.of(Labels.MANAGED, "true"));
    runtime().writeVolume(volume, Map.of("token", "s3cret".getBytes()), image());
    assertThat(runtime().listManagedVolumes(Map.of()))
        .anySatisfy(v -> assertThat(v.name()).isEqualTo(volume));
    assertThat(runtime().listManagedVolumes(Map.of(Labels.GROUP_ID, "someone-else")))
        .noneMatch(v -> v.name().equals(volume));
    runtime().removeVolume(volume);
    assertThat(runtime().listManagedVolumes(Map.of())).noneMatch(v -> v.name().equals(volume));
    runtime().removeVolume(volume);
  }

  @Test
  void aTreeCopiedIntoAVolumeIsFoundThere() throws java.io.IOException {
    String volume = "berth-contract-" + UUID.randomUUID().toString().substring(0, 8);
    runtime().ensureVolume(volume, Map.of(Labels.MANAGED, "true"));
    java.nio.file.Path tree = java.nio.file.Files.createTempDirectory("berth-contract-tree");
    java.nio.file.Files.createDirectories(tree.resolve("sub"));
    java.nio.file.Files.writeString(tree.resolve("sub/hello.txt"), "hello");
    try {
      assertThat(runtime().volumeHasFile(volume, "sub/hello.txt", image())).isFalse();
      runtime().copyIntoVolume(volume, tree, image());
      assertThat(runtime().volumeHasFile(volume, "sub/hello.txt", image())).isTrue();
      assertThat(runtime().volumeHasFile(volume, "sub/absent.txt", image())).isFalse();
    } finally {
      runtime().removeVolume(volume);
    }
  }

  @Test
  void aHostDirectoryVolumeShowsTheDirectoryAndItsRemovalKeepsTheFiles()
      throws java.io.IOException {
    String volume = "berth-contract-" + UUID.randomUUID().toString().substring(0, 8);
    java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("berth-contract-share");
    java.nio.file.Files.writeString(directory.resolve("kept.txt"), "kept");
    runtime()
        .ensureHostDirectoryVolume(volume, directory.toString(), Map.of(Labels.MANAGED, "true"));
    runtime()
        .ensureHostDirectoryVolume(volume, directory.toString(), Map.of(Labels.MANAGED, "true"));
    assertThat(runtime().volumeHasFile(volume, "kept.txt", image())).isTrue();
    assertThat(runtime().listManagedVolumes(Map.of()))
        .anySatisfy(v -> assertThat(v.name()).isEqualTo(volume));
    runtime().removeVolume(volume);
    assertThat(runtime().listManagedVolumes(Map.of())).noneMatch(v -> v.name().equals(volume));
    assertThat(java.nio.file.Files.readString(directory.resolve("kept.txt"))).isEqualTo("kept");
  }

  @Test
  void inspectOfAnUnknownContainerIsEmpty() {
    assertThat(runtime().inspect("berth-no-such-container-" + UUID.randomUUID())).isEmpty();
  }
}
