package dev.berth.service.probing;

import dev.berth.service.containergroup.Probe;
import dev.berth.service.reconciliation.ProbeFinding;
import dev.berth.service.reconciliation.ProbeResults;
import dev.berth.service.reconciliation.ProbeTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Runs the probes of the runs that this replica's reconciler passes name ({@link #track}), on the
 * hosts this replica owns, and hands what they find to the next pass of the group ({@link #take}),
 * which it wakes. Each host has its own lane: a scheduler thread that starts the checks that are
 * due and a small bounded pool that runs them, so a slow engine or a hanging probe holds only that
 * host's probes and never a reconciler thread. A check still running after the probe's {@code
 * timeoutSeconds} has failed.
 *
 * <p>Only counts live here (see {@link ProbeCounter}); what must survive, the readiness shown and
 * the liveness kill, is decided by the pass and saved with the group's status. Findings handed to a
 * pass that then fails are lost, as a check that was never made would be: the verdicts, which are
 * handed over again at every pass, are not.
 */
public final class Prober implements ProbeResults, AutoCloseable {

  private static final Logger log = Logger.getLogger(Prober.class.getName());

  /** Grace beyond timeoutSeconds for the engine's own overhead (exec create, inspect). */
  private static final Duration OVERHEAD = Duration.ofMillis(500);

  private final ProbeChecks checks;
  private final Clock clock;
  private final Predicate<String> owns;
  private final Consumer<UUID> wake;
  private final ProbeLanes lanes;
  private final Map<UUID, GroupProbes> groups = new ConcurrentHashMap<>();
  private volatile Consumer<String> failedChecks = kind -> {};

  /**
   * @param owns whether this replica owns a host now; only an owner probes
   * @param wake asks for a pass of a group, after its probes found something
   * @param lanes where each host's checks are scheduled and run
   */
  /**
   * Tells {@code failedChecks} the kind ({@code liveness} or {@code readiness}) of every failed
   * check from now on.
   */
  public void countFailedChecksWith(Consumer<String> failedChecks) {
    this.failedChecks = failedChecks;
  }

  public Prober(
      ProbeChecks checks,
      Clock clock,
      Predicate<String> owns,
      Consumer<UUID> wake,
      ProbeLanes lanes) {
    this.checks = checks;
    this.clock = clock;
    this.owns = owns;
    this.wake = wake;
    this.lanes = lanes;
  }

  /** One probe of one run: its counter and when it is next due. */
  private static final class Check {
    final ProbeCounter counter;
    Instant due;
    boolean inFlight;

    Check(ProbeCounter counter, Instant due) {
      this.counter = counter;
      this.due = due;
    }
  }

  /** A tracked run and its probes. */
  private static final class Tracked {
    final ProbeTarget target;
    final List<Check> checks = new ArrayList<>();

    Tracked(ProbeTarget target) {
      this.target = target;
      Instant first = target.run();
      if (target.liveness() != null) {
        checks.add(
            new Check(
                new ProbeCounter(ProbeCounter.Kind.LIVENESS, target.liveness()),
                first.plus(target.liveness().initialDelay())));
      }
      if (target.readiness() != null) {
        checks.add(
            new Check(
                new ProbeCounter(ProbeCounter.Kind.READINESS, target.readiness()),
                first.plus(target.readiness().initialDelay())));
      }
    }

    boolean sameRun(ProbeTarget other) {
      return target.containerId().equals(other.containerId())
          && target.run().equals(other.run())
          && java.util.Objects.equals(target.liveness(), other.liveness())
          && java.util.Objects.equals(target.readiness(), other.readiness());
    }
  }

  /** What is tracked of one group; guarded by itself. */
  private static final class GroupProbes {
    final String hostId;
    final Map<String, Tracked> byContainer = new HashMap<>();
    final List<ProbeFinding> findings = new ArrayList<>();

    GroupProbes(String hostId) {
      this.hostId = hostId;
    }
  }

  @Override
  public void track(UUID groupId, String hostId, List<ProbeTarget> targets) {
    if (targets.isEmpty() || hostId == null) {
      GroupProbes gone = groups.remove(groupId);
      if (gone != null) {
        synchronized (gone) {
          gone.byContainer.values().forEach(t -> checks.forget(gone.hostId, t.target));
        }
      }
      return;
    }
    GroupProbes probes =
        groups.compute(
            groupId,
            (id, old) -> old == null || !old.hostId.equals(hostId) ? new GroupProbes(hostId) : old);
    synchronized (probes) {
      Map<String, ProbeTarget> wanted = new HashMap<>();
      targets.forEach(t -> wanted.put(t.container(), t));
      probes.byContainer.entrySet().removeIf(e -> !wanted.containsKey(e.getKey()));
      for (ProbeTarget target : targets) {
        Tracked known = probes.byContainer.get(target.container());
        if (known == null || !known.sameRun(target)) {
          probes.byContainer.put(target.container(), new Tracked(target));
        }
      }
    }
    lanes.ensure(hostId, () -> tick(hostId));
  }

  @Override
  public Report take(UUID groupId) {
    GroupProbes probes = groups.get(groupId);
    if (probes == null) {
      return Report.EMPTY;
    }
    synchronized (probes) {
      List<ProbeFinding> findings = List.copyOf(probes.findings);
      probes.findings.clear();
      Map<String, Verdict> verdicts = new HashMap<>();
      for (Tracked t : probes.byContainer.values()) {
        Boolean ready = null;
        boolean livenessFailed = false;
        for (Check c : t.checks) {
          ready = ready == null ? c.counter.ready() : ready;
          livenessFailed |= c.counter.failedRun();
        }
        verdicts.put(t.target.container(), new Verdict(t.target.run(), ready, livenessFailed));
      }
      return new Report(findings, verdicts);
    }
  }

  /**
   * Starts every check of the host that is due and not running. Called by the host's lane; a host
   * this replica does not own (any more) is not probed and its groups are forgotten (their next
   * pass on an owner tracks them again, counting afresh).
   */
  void tick(String hostId) {
    if (!owns.test(hostId)) {
      groups.entrySet().removeIf(e -> e.getValue().hostId.equals(hostId));
      return;
    }
    Instant now = clock.instant();
    for (Map.Entry<UUID, GroupProbes> entry : groups.entrySet()) {
      GroupProbes probes = entry.getValue();
      if (!probes.hostId.equals(hostId)) {
        continue;
      }
      synchronized (probes) {
        for (Tracked tracked : probes.byContainer.values()) {
          for (Check check : tracked.checks) {
            if (!check.inFlight && !check.due.isAfter(now) && !check.counter.failedRun()) {
              start(entry.getKey(), probes, tracked, check, now);
            }
          }
        }
      }
    }
  }

  private void start(UUID groupId, GroupProbes probes, Tracked tracked, Check check, Instant now) {
    Probe probe = check.counter.probe();
    CompletableFuture<String> result;
    try {
      result =
          CompletableFuture.supplyAsync(
              () -> checks.check(probes.hostId, tracked.target, probe),
              lanes.workers(probes.hostId));
    } catch (RejectedExecutionException busy) {
      // The host's lane is full: this check is not made (and counts neither way).
      log.fine("probes of host " + probes.hostId + " are behind; a check was skipped");
      return;
    }
    // Set before the result is attached below (which may run it at once, on this thread).
    check.inFlight = true;
    // Every period from the first check, not from when the tick noticed it was due, so the checks
    // keep their rate; one that fell more than a period behind (a paused host) starts over.
    Instant next = check.due.plus(probe.period());
    check.due = next.isAfter(now) ? next : now.plus(probe.period());
    result
        .completeOnTimeout(
            "timed out after " + probe.timeoutSeconds() + " s",
            probe.timeout().plus(OVERHEAD).toMillis(),
            TimeUnit.MILLISECONDS)
        .exceptionally(e -> "probe failed: " + e.getMessage())
        .thenAccept(failure -> record(groupId, probes, tracked, check, failure));
  }

  private void record(
      UUID groupId, GroupProbes probes, Tracked tracked, Check check, String failure) {
    if (failure != null) {
      failedChecks.accept(check.counter.kind().label.toLowerCase(java.util.Locale.ROOT));
    }
    boolean found;
    synchronized (probes) {
      check.inFlight = false;
      if (groups.get(groupId) != probes
          || probes.byContainer.get(tracked.target.container()) != tracked) {
        return;
      }
      Instant at = clock.instant();
      List<ProbeFinding.Type> types = check.counter.record(failure);
      for (ProbeFinding.Type type : types) {
        boolean checkFailed =
            type == ProbeFinding.Type.LIVENESS_CHECK_FAILED
                || type == ProbeFinding.Type.READINESS_CHECK_FAILED;
        probes.findings.add(
            new ProbeFinding(
                tracked.target.container(),
                tracked.target.run(),
                type,
                at,
                checkFailed ? check.counter.message(failure) : null));
      }
      found = !types.isEmpty();
    }
    if (found) {
      wake.accept(groupId);
    }
  }

  /** How many runs are being probed (for tests and the benchmark). */
  public int trackedRuns() {
    return groups.values().stream()
        .mapToInt(
            g -> {
              synchronized (g) {
                return g.byContainer.size();
              }
            })
        .sum();
  }

  @Override
  public void close() {
    lanes.close();
  }
}
