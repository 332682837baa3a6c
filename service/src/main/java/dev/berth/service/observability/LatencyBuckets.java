package dev.berth.service.observability;

import java.time.Duration;

/**
 * The histogram buckets of Berth's latency series: 5 ms (a ping, an inspect) to a minute (a create
 * that pulls), a dozen buckets, so each series stays small in Prometheus.
 */
final class LatencyBuckets {

  static final Duration[] SECONDS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private LatencyBuckets() {}
}
