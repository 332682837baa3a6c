package dev.berth.service.containergroup;

import java.time.Instant;

/**
 * One container's state at one moment, in ACI's shape. Times come from the engine.
 *
 * @param detailStatus why, in a word or two: Completed, Error, OOMKilled, or the failure's text
 */
public record ContainerState(
    Kind state, Instant startTime, Instant finishTime, Integer exitCode, String detailStatus) {

  /** ACI's container states. */
  public enum Kind {
    /** Not started yet, or waiting to be started again. */
    WAITING("Waiting"),
    /** The container's process runs. */
    RUNNING("Running"),
    /** The container's process ended. */
    TERMINATED("Terminated");

    private final String aciName;

    Kind(String aciName) {
      this.aciName = aciName;
    }

    public String aciName() {
      return aciName;
    }
  }

  public static ContainerState waiting(String detail) {
    return new ContainerState(Kind.WAITING, null, null, null, detail);
  }

  public static ContainerState running(Instant startTime) {
    return new ContainerState(Kind.RUNNING, startTime, null, null, null);
  }

  public static ContainerState terminated(
      Instant start, Instant finish, int exitCode, String detail) {
    return new ContainerState(Kind.TERMINATED, start, finish, exitCode, detail);
  }
}
