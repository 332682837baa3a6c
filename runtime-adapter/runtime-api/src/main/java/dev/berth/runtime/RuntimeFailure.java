package dev.berth.runtime;

/** A runtime call failed; {@link #kind()} says what a caller can do about it. */
public class RuntimeFailure extends RuntimeException {

  /** Why a runtime call failed. */
  public enum Kind {
    /** Worth retrying as it is: a timeout, a busy engine. */
    TRANSIENT,
    /** The container (or another named object) does not exist. */
    NOT_FOUND,
    /** The request conflicts with the object's current state. */
    CONFLICT,
    /** The engine refused the spec itself; retrying the same spec cannot help. */
    INVALID_SPEC,
    /** The image is not on the host and could not be pulled. */
    IMAGE_UNAVAILABLE,
    /** The engine did not answer, or refused the connection; the circuit breaker counts these. */
    HOST_UNREACHABLE
  }

  private final Kind kind;

  public RuntimeFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public RuntimeFailure(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}
