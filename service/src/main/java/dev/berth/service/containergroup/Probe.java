package dev.berth.service.containergroup;

import java.time.Duration;
import java.util.List;

/**
 * A check Berth makes of a running container (ACI's {@code ContainerProbe}): a command run in it
 * ({@code exec}) or an HTTP GET to it ({@code httpGet}), exactly one of the two. Unset numbers take
 * Kubernetes' defaults, which ACI inherits without documenting them: see {@link #withDefaults}.
 *
 * @param execCommand the argv of an exec probe (exit code 0 is a success), or null
 * @param httpGet the request of an HTTP probe (a status of 200-399 is a success), or null
 * @param initialDelaySeconds how long after the container started the first check is made
 * @param periodSeconds the time from one check to the next
 * @param timeoutSeconds how long a check may take; one still running then has failed
 * @param failureThreshold failures in a row after which the probe has failed
 * @param successThreshold successes in a row after which a failed probe passes again
 */
public record Probe(
    List<String> execCommand,
    HttpGet httpGet,
    int initialDelaySeconds,
    int periodSeconds,
    int timeoutSeconds,
    int failureThreshold,
    int successThreshold) {

  /** Kubernetes' defaults, for the numbers a probe leaves out. */
  public static final int DEFAULT_INITIAL_DELAY = 0;

  public static final int DEFAULT_PERIOD = 10;
  public static final int DEFAULT_TIMEOUT = 1;
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

  /**
   * An HTTP GET to the container's own address.
   *
   * @param scheme http or https (a certificate is not checked, as Kubernetes does not)
   */
  public record HttpGet(String path, int port, String scheme, List<Header> headers) {
    public HttpGet {
      path = path == null || path.isEmpty() ? "/" : path;
      scheme = scheme == null ? "http" : scheme;
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /** A header an HTTP probe sends. */
  public record Header(String name, String value) {}

  public Probe {
    execCommand = execCommand == null ? null : List.copyOf(execCommand);
  }

  /** A probe with the given numbers, each null one taking Kubernetes' default. */
  public static Probe withDefaults(
      List<String> execCommand,
      HttpGet httpGet,
      Integer initialDelaySeconds,
      Integer periodSeconds,
      Integer timeoutSeconds,
      Integer failureThreshold,
      Integer successThreshold) {
    return new Probe(
        execCommand,
        httpGet,
        or(initialDelaySeconds, DEFAULT_INITIAL_DELAY),
        or(periodSeconds, DEFAULT_PERIOD),
        or(timeoutSeconds, DEFAULT_TIMEOUT),
        or(failureThreshold, DEFAULT_FAILURE_THRESHOLD),
        or(successThreshold, DEFAULT_SUCCESS_THRESHOLD));
  }

  public Duration initialDelay() {
    return Duration.ofSeconds(initialDelaySeconds);
  }

  public Duration period() {
    return Duration.ofSeconds(periodSeconds);
  }

  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  private static int or(Integer given, int fallback) {
    return given == null ? fallback : given;
  }
}
