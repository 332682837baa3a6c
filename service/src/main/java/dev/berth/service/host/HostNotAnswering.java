package dev.berth.service.host;

/** A host to register did not answer, so it was not registered. */
public class HostNotAnswering extends RuntimeException {
  public HostNotAnswering(String message, Throwable cause) {
    super(message, cause);
  }
}
