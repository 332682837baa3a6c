package dev.berth.service.usage;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerUsage;
import dev.berth.service.host.HostRuntimes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples what running containers use, from their engines' stats, once a round: for each host this
 * replica owns, one query for what runs there, then one one-shot stats call per container (a few at
 * a time). The samples are kept for {@code GET .../metrics} and the latest are shown as series. A
 * group whose containers share a sandbox's network namespace gets its network figures from the
 * sandbox, kept as the group's ({@link UsageStore#GROUP_NETWORK}).
 *
 * <p>Nothing here is a rule of correctness: a round missed (a replica killed, an engine away) is a
 * gap in a chart, and the next round goes on.
 */
public final class UsageSampler implements AutoCloseable {

  private static final Logger log = Logger.getLogger(UsageSampler.class.getName());

  private final UsageStore store;
  private final HostRuntimes hosts;
  private final Supplier<Set<String>> ownedHosts;
  private final Function<UUID, String> sandboxName;
  private final UsageExport export;
  private final ExecutorService calls;
  private final Clock clock;
  private final Duration retention;

  public UsageSampler(
      UsageStore store,
      HostRuntimes hosts,
      Supplier<Set<String>> ownedHosts,
      Function<UUID, String> sandboxName,
      UsageExport export,
      ExecutorService calls,
      Clock clock,
      Duration retention) {
    this.store = store;
    this.hosts = hosts;
    this.ownedHosts = ownedHosts;
    this.sandboxName = sandboxName;
    this.export = export;
    this.calls = calls;
    this.clock = clock;
    this.retention = retention;
  }

  /** Stops the threads that make the stats calls. */
  @Override
  public void close() {
    calls.shutdownNow();
  }

  /**
   * One round over every owned host; how many samples were kept. Every call of the round is asked
   * at once (the engine answers each at its next collection tick), then the sandboxes of groups
   * whose containers share one, for their network.
   */
  public int sampleOnce() {
    List<UsageStore.Sample> samples = new ArrayList<>();
    List<UsageExport.Latest> latest = new ArrayList<>();
    List<Asked> asked = new ArrayList<>();
    for (String hostId : ownedHosts.get()) {
      try {
        ContainerRuntime runtime = null;
        for (UsageStore.RunningContainer c : store.runningOn(hostId)) {
          runtime = runtime == null ? hosts.forHost(hostId) : runtime;
          asked.add(new Asked(c, runtime, calls.submit(usageOf(runtime, c.containerId()))));
        }
      } catch (RuntimeException away) {
        log.log(Level.FINE, "no usage from host " + hostId + " this round", away);
      }
    }
    Map<UUID, Asked> sharing = new LinkedHashMap<>();
    Map<UUID, UsageExport.Latest> network = new LinkedHashMap<>();
    for (Asked a : asked) {
      Optional<ContainerUsage> usage = result(a.answer());
      if (usage.isEmpty()) {
        continue;
      }
      UsageStore.RunningContainer c = a.container();
      samples.add(new UsageStore.Sample(c.groupId(), c.container(), usage.get()));
      latest.add(new UsageExport.Latest(c.key(), c.container(), usage.get()));
      if (usage.get().networkReceiveBytes() != null) {
        network.putIfAbsent(
            c.groupId(), new UsageExport.Latest(c.key(), UsageStore.GROUP_NETWORK, usage.get()));
      } else {
        sharing.putIfAbsent(c.groupId(), a);
      }
    }
    // A group's network: its own container's namespace, or its sandbox's when they share one.
    sharing.keySet().removeAll(network.keySet());
    List<Asked> sandboxes = new ArrayList<>();
    for (Asked a : sharing.values()) {
      sandboxes.add(
          new Asked(
              a.container(),
              a.runtime(),
              calls.submit(usageOf(a.runtime(), sandboxName.apply(a.container().groupId())))));
    }
    for (Asked a : sandboxes) {
      result(a.answer())
          .ifPresent(
              u ->
                  network.put(
                      a.container().groupId(),
                      new UsageExport.Latest(a.container().key(), UsageStore.GROUP_NETWORK, u)));
    }
    network.forEach(
        (groupId, l) -> {
          samples.add(new UsageStore.Sample(groupId, UsageStore.GROUP_NETWORK, l.usage()));
          latest.add(l);
        });
    if (!samples.isEmpty()) {
      store.save(samples);
    }
    export.show(latest);
    return samples.size();
  }

  /** A stats call asked for a container, and its answer to come. */
  private record Asked(
      UsageStore.RunningContainer container,
      ContainerRuntime runtime,
      Future<Optional<ContainerUsage>> answer) {}

  /** Removes samples older than the retention. */
  public int forget() {
    return store.deleteBefore(clock.instant().minus(retention));
  }

  private static Callable<Optional<ContainerUsage>> usageOf(
      ContainerRuntime runtime, String containerIdOrName) {
    return () -> runtime.usage(containerIdOrName);
  }

  private static Optional<ContainerUsage> result(Future<Optional<ContainerUsage>> asked) {
    try {
      return asked.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException failed) {
      // That container's engine did not answer: no sample of it this round.
      return Optional.empty();
    }
  }
}
