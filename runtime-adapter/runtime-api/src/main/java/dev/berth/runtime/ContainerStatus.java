package dev.berth.runtime;

/** A container's status as the engine reports it. */
public enum ContainerStatus {
  /** Created and never started. */
  CREATED,
  /** Its main process runs (paused and restarting are reported as running). */
  RUNNING,
  /** Its main process ended; the exit code is known. */
  EXITED,
  /** Being removed, or dead after a failed removal: treat as gone. */
  REMOVING
}
