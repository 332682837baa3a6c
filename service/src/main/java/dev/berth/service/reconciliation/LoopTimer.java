package dev.berth.service.reconciliation;

/**
 * Where the loop's passes and sweeps report how long they took (Micrometer's {@code
 * berth_reconcile_pass_duration_seconds} and {@code berth_reconcile_sweep_duration_seconds} in the
 * service).
 */
public interface LoopTimer {

  LoopTimer NONE =
      new LoopTimer() {
        @Override
        public void pass(boolean failed, long nanos) {}

        @Override
        public void sweep(boolean failed, long nanos) {}
      };

  /** One group's reconcile pass. */
  void pass(boolean failed, long nanos);

  /** One sweep over this replica's hosts. */
  void sweep(boolean failed, long nanos);
}
