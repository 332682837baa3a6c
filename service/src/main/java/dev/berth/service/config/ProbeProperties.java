package dev.berth.service.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How liveness and readiness probes run (prefix {@code berth.probes}).
 *
 * @param workersPerHost how many checks may run on one host at once (its own bulkhead, apart from
 *     the reconciler's); more due checks wait in a queue
 * @param queuePerHost how many due checks may wait for a worker of a host; beyond that a check is
 *     skipped (it counts neither as a success nor as a failure)
 * @param tick how often each host's scheduler looks for due checks: the precision of a probe's
 *     period
 */
@ConfigurationProperties("berth.probes")
public record ProbeProperties(
    @DefaultValue("4") int workersPerHost,
    @DefaultValue("256") int queuePerHost,
    @DefaultValue("200ms") Duration tick) {}
