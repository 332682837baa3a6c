package dev.berth.service.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fair use of the API (prefix {@code berth.rate-limits}): how many requests per second each key may
 * make on each replica before calls answer 429 TooManyRequests with Retry-After. A key issued with
 * its own {@code requestsPerSecond} has that instead.
 *
 * @param requestsPerSecond the default for subscription keys
 * @param adminRequestsPerSecond the admin key's; 0 for none (operators and their tools are not
 *     throttled)
 */
@ConfigurationProperties("berth.rate-limits")
public record RateLimitProperties(
    @DefaultValue("100") int requestsPerSecond, @DefaultValue("0") int adminRequestsPerSecond) {}
