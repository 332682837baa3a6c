package dev.berth.service.observability;

import dev.berth.service.host.EngineCallTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Every guarded engine call as {@code berth_docker_call_duration_seconds{host,operation,outcome}}:
 * a histogram ({@link LatencyBuckets}), so both latency and errors per host and operation come from
 * one series family.
 */
public final class MicrometerEngineCalls implements EngineCallTimer {

  public static final String NAME = "berth.docker.call.duration";

  private final Meter.MeterProvider<Timer> timers;

  public MicrometerEngineCalls(MeterRegistry registry) {
    this.timers =
        Timer.builder(NAME)
            .description("Calls to a host's Docker engine, by operation and outcome")
            .serviceLevelObjectives(LatencyBuckets.SECONDS)
            .withRegistry(registry);
  }

  @Override
  public void record(String hostId, String operation, String outcome, long nanos) {
    timers
        .withTags("host", hostId, "operation", operation, "outcome", outcome)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
