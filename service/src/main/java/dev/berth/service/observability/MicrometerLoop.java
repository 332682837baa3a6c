package dev.berth.service.observability;

import dev.berth.service.reconciliation.LoopTimer;
import dev.berth.service.reconciliation.ReconcileLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The reconcile loop's series: {@code berth_reconcile_pass_duration_seconds{outcome}} for each
 * group's pass, {@code berth_reconcile_sweep_duration_seconds{outcome}} for each sweep, and {@code
 * berth_reconcile_queue_depth}, the groups waiting for a worker.
 */
public final class MicrometerLoop implements LoopTimer {

  private final Timer passOk;
  private final Timer passFailed;
  private final Timer sweepOk;
  private final Timer sweepFailed;

  private MicrometerLoop(MeterRegistry registry) {
    var pass =
        Timer.builder("berth.reconcile.pass.duration")
            .description("One group's reconcile pass")
            .serviceLevelObjectives(LatencyBuckets.SECONDS)
            .withRegistry(registry);
    var sweep =
        Timer.builder("berth.reconcile.sweep.duration")
            .description("One sweep of this replica's hosts against their groups")
            .serviceLevelObjectives(LatencyBuckets.SECONDS)
            .withRegistry(registry);
    passOk = pass.withTags("outcome", "ok");
    passFailed = pass.withTags("outcome", "failed");
    sweepOk = sweep.withTags("outcome", "ok");
    sweepFailed = sweep.withTags("outcome", "failed");
  }

  /** Registers the loop's series and has the loop report to them. */
  public static void bind(ReconcileLoop loop, MeterRegistry registry) {
    Gauge.builder("berth.reconcile.queue.depth", loop, ReconcileLoop::queueDepth)
        .description("Groups waiting for a reconcile worker")
        .register(registry);
    loop.timeWith(new MicrometerLoop(registry));
  }

  @Override
  public void pass(boolean failed, long nanos) {
    (failed ? passFailed : passOk).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void sweep(boolean failed, long nanos) {
    (failed ? sweepFailed : sweepOk).record(nanos, TimeUnit.NANOSECONDS);
  }
}
