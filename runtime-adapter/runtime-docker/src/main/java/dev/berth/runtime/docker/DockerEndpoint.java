package dev.berth.runtime.docker;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Docker engine.
 *
 * @param uri {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}
 * @param tlsCertPath directory with ca.pem, cert.pem and key.pem for TCP+TLS; null for none
 * @param connectTimeout how long to wait for a connection
 * @param responseTimeout how long to wait for any one answer; longer than the stop grace period
 * @param pullTimeout how long an image pull may take
 */
public record DockerEndpoint(
    String uri,
    String tlsCertPath,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration pullTimeout) {

  public DockerEndpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
  }

  /** The local engine with timeouts that suit it. */
  public static DockerEndpoint local(String uri) {
    return new DockerEndpoint(
        uri, null, Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(5));
  }
}
