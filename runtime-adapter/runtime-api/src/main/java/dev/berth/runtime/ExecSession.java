package dev.berth.runtime;

/** An interactive command running in a container with a terminal. */
public interface ExecSession extends AutoCloseable {

  /** Sends bytes to the command's terminal (its stdin). */
  void write(byte[] input);

  /** Tells the terminal its new size. */
  void resize(int rows, int columns);

  /** Ends the session; the command gets a hangup. Idempotent. */
  @Override
  void close();
}
