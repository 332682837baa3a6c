package dev.berth.service.probing;

import dev.berth.service.containergroup.Probe;
import dev.berth.service.reconciliation.ProbeFinding;
import java.util.ArrayList;
import java.util.List;

/**
 * The thresholds of one probe on one run, as Kubernetes counts them. A liveness probe starts out
 * passing and fails the run after {@code failureThreshold} failed checks in a row (its success
 * threshold is 1: a success resets the count). A readiness probe starts out not ready, becomes
 * ready after {@code successThreshold} successes in a row and unready again after {@code
 * failureThreshold} failures in a row. Every failed check is a finding of its own (ACI's {@code
 * Unhealthy} event). Pure; one per probe per run, used by one thread at a time.
 *
 * <p>The counts live in the memory of the replica that owns the host: a replica that takes a host
 * over (or a restarted one) starts counting afresh, which at worst delays a verdict by a threshold.
 */
final class ProbeCounter {

  enum Kind {
    LIVENESS("Liveness"),
    READINESS("Readiness");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final Kind kind;
  private final Probe probe;
  private int failuresInARow;
  private int successesInARow;
  private boolean passing;
  private Boolean verdict;

  ProbeCounter(Kind kind, Probe probe) {
    this.kind = kind;
    this.probe = probe;
    this.passing = kind == Kind.LIVENESS;
  }

  Probe probe() {
    return probe;
  }

  Kind kind() {
    return kind;
  }

  /**
   * What one check's result means.
   *
   * @param failure why the check failed, or null when it passed
   */
  List<ProbeFinding.Type> record(String failure) {
    List<ProbeFinding.Type> found = new ArrayList<>();
    if (failure == null) {
      failuresInARow = 0;
      successesInARow++;
      if (kind == Kind.READINESS && !passing && successesInARow >= probe.successThreshold()) {
        passing = true;
        verdict = true;
        found.add(ProbeFinding.Type.BECAME_READY);
      }
      return found;
    }
    successesInARow = 0;
    failuresInARow++;
    boolean reached = failuresInARow >= probe.failureThreshold();
    if (kind == Kind.LIVENESS) {
      found.add(ProbeFinding.Type.LIVENESS_CHECK_FAILED);
      if (reached && passing) {
        passing = false;
        verdict = false;
        found.add(ProbeFinding.Type.LIVENESS_FAILED);
      }
    } else {
      found.add(ProbeFinding.Type.READINESS_CHECK_FAILED);
      if (reached && (passing || verdict == null)) {
        passing = false;
        verdict = false;
        found.add(ProbeFinding.Type.BECAME_UNREADY);
      }
    }
    return found;
  }

  /** Readiness: true or false once it passed or failed its threshold, else null. */
  Boolean ready() {
    return kind == Kind.READINESS ? verdict : null;
  }

  /** Liveness: whether it failed the run (no more checks are made then). */
  boolean failedRun() {
    return kind == Kind.LIVENESS && !passing;
  }

  /** The message of an {@code Unhealthy} event for a failed check. */
  String message(String failure) {
    return kind.label + " probe failed: " + failure;
  }
}
