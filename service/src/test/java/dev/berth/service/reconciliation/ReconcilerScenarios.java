package dev.berth.service.reconciliation;

import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupLimits;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.StartingContainerGroup;
import dev.berth.service.metering.RunConfirmations;
import dev.berth.service.metering.RunMetering;
import dev.berth.service.scheduling.PlacingContainerGroup;
import dev.berth.service.scheduling.Ranking;
import dev.berth.service.scheduling.Scheduler;
import dev.berth.service.workload.KeepingRunLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fake runtime, in-memory stores and a hand-advanced clock that reconciler scenarios run on.
 */
abstract class ReconcilerScenarios {

  static final String INSTALLATION = "test-installation";

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryStores stores = new InMemoryStores();
  final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  final RecordingUsageLedger usage = new RecordingUsageLedger();
  final RunConfirmations confirmations = new RunConfirmations(usage);
  final FakeFleet fleet = new FakeFleet();
  final InMemoryMoves moves = new InMemoryMoves();

  /** One fake engine per host; h1's is {@link #runtime}. */
  final Map<String, FakeContainerRuntime> engines = new java.util.HashMap<>(Map.of("h1", runtime));

  /** What clones gitRepo volumes and makes share directories; a scenario sets its own. */
  GitCheckouts git = GitCheckouts.NONE;

  ShareDirectories shares = ShareDirectories.NONE;

  final RunMetering metering = new RunMetering(usage, confirmations, false);
  final PlacingContainerGroup placing =
      new PlacingContainerGroup(stores, new Scheduler(Ranking.BINPACK));
  final Reconciler reconciler =
      new Reconciler(
          stores,
          stores,
          this::engine,
          new LaunchSpecs(Isolation.hardenedDefaults(), INSTALLATION),
          stores,
          clock,
          RestartBackoff.kubernetesDefaults(),
          Duration.ofSeconds(10),
          new KeepingRunLogs(stores, 1 << 20),
          metering,
          fleet,
          new MovingGroups(stores, placing, stores, stores, fleet, metering, clock, false, moves),
          (source, into) -> git.checkout(source, into),
          share -> shares.prepare(share),
          ProbeResults.NONE,
          // Pulls run at once, so a scenario sees a pull's outcome in the pass that started it.
          new dev.berth.service.images.ImagePulls(
              Runnable::run,
              clock,
              Duration.ofMinutes(5),
              dev.berth.service.images.PullPolicy.IF_NOT_PRESENT));
  final CreatingContainerGroup creating =
      new CreatingContainerGroup(
          stores, placing, new GroupValidator(GroupLimits.aciDefaults()), stores, id -> {}, clock);
  final StartingContainerGroup starting =
      new StartingContainerGroup(stores, placing, stores, id -> {}, clock);

  ReconcilerScenarios() {
    stores.hosts.put("h1", new Resources(2000, 4096));
    stores.schedulable = fleet::schedulable;
  }

  /** The engine of a host (a new fake one for a host first named). */
  synchronized FakeContainerRuntime engine(String hostId) {
    return engines.computeIfAbsent(hostId, h -> new FakeContainerRuntime(clock));
  }

  ContainerGroup create(String name, RestartPolicy policy, List<String> command, Resources size) {
    var container =
        new ContainerDefinition("main", "berth/busybox:1", command, List.of(), size, size);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name),
                "local",
                Map.of(),
                new GroupSpec(List.of(container), policy, "Linux"),
                "{}"))
        .group();
  }

  GroupStatus status(ContainerGroup g) {
    return stores.status(g.id()).orElseThrow();
  }

  ContainerStatus main(ContainerGroup g) {
    return status(g).container("main").orElseThrow();
  }

  ContainerGroup createWithInits(String name, RestartPolicy policy, String... initScripts) {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
            "main", "berth/busybox:1", List.of("sleep", "3600"), List.of(), size, size);
    List<ContainerDefinition> inits = new ArrayList<>();
    for (int i = 0; i < initScripts.length; i++) {
      inits.add(
          new ContainerDefinition(
              "init-" + i,
              "berth/busybox:1",
              List.of("sh", "-c", initScripts[i]),
              List.of(),
              size,
              size));
    }
    var spec =
        new GroupSpec(List.of(main), policy, "Linux", List.of(), null, List.of(), inits, null);
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name), "local", Map.of(), spec, "{}"))
        .group();
  }

  List<String> containersOnEngine(ContainerGroup group) {
    return runtime.listManaged(Map.of(Labels.GROUP_ID, group.id().toString())).stream()
        .map(c -> c.labels().get(Labels.CONTAINER))
        .sorted()
        .toList();
  }
}
