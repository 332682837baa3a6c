package dev.berth.runtime;

/** A follow of a container's output ({@link ContainerRuntime#followLogs}). */
public interface LogFollow extends AutoCloseable {

  /** Ends the follow; its {@code ended} callback runs if it had not yet. Idempotent. */
  @Override
  void close();
}
