package dev.berth.billing.metering;

import java.util.List;

/** Where the reconciliation job finds closed runs and records what it found. */
public interface RunChecks {

  /** A closed run not checked yet, with the totals of its segments. */
  record Unchecked(UsageRun run, long meteredSeconds, long billedSeconds) {}

  List<Unchecked> unchecked(int limit);

  void record(List<RunCheck> checks);

  /** Checks that did not match, newest first; subscription null means all. */
  List<RunCheck> mismatches(String subscriptionId, int limit);

  long checkedCount(String subscriptionId);

  long mismatchCount(String subscriptionId);
}
