package dev.berth.runtime;

/**
 * A pull failed, and why: each reason is a different thing for the user to fix. Its kind is always
 * {@link RuntimeFailure.Kind#IMAGE_UNAVAILABLE}.
 */
public final class ImagePullFailure extends RuntimeFailure {

  /** Why a pull failed. */
  public enum Reason {
    /** The registry has no such repository, tag or digest (404, manifest unknown). */
    NOT_FOUND,
    /** The registry refused the credential, or wants one and none was given. */
    UNAUTHORIZED,
    /** The registry could not be reached (refused connection, no such host, TLS failure). */
    UNREACHABLE,
    /** The pull did not finish within its timeout. */
    TIMED_OUT,
    /** Anything else the engine reported. */
    OTHER
  }

  private final Reason reason;

  public ImagePullFailure(Reason reason, String message, Throwable cause) {
    super(Kind.IMAGE_UNAVAILABLE, message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
