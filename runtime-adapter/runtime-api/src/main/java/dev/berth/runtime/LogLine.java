package dev.berth.runtime;

import java.time.Instant;

/**
 * One line a container wrote, with the engine's timestamp.
 *
 * @param stream STDOUT or STDERR
 */
public record LogLine(Instant time, Stream stream, String text) {

  /** Which output a line came from. */
  public enum Stream {
    STDOUT,
    STDERR
  }
}
