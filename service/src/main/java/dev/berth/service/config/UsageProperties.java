package dev.berth.service.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sampling of running containers' usage from their engines' stats (prefix {@code berth.usage}).
 *
 * @param interval how often each replica samples the containers on the hosts it owns (0: never;
 *     then GET .../metrics has nothing and no container_* series are exported)
 * @param retention how long samples are kept for GET .../metrics
 * @param concurrency how many stats calls wait at once, over all hosts: an engine answers each at
 *     its next collection tick (every second), so a round over N containers takes about N /
 *     concurrency seconds
 */
@ConfigurationProperties("berth.usage")
public record UsageProperties(
    @DefaultValue("15s") Duration interval,
    @DefaultValue("1d") Duration retention,
    @DefaultValue("32") int concurrency) {}
