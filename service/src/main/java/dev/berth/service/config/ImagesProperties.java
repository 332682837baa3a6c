package dev.berth.service.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How images come onto hosts and leave them (prefix {@code berth.images}).
 *
 * @param pullTimeout how long one pull may take before it fails with ImagePullTimedOut
 * @param pullPolicy {@code IfNotPresent}: an image on the host is used as it is, unless its tag is
 *     {@code latest} or absent; {@code Always}: every launch pulls
 * @param diskBudget how much disk a host's images may use before the least recently used unused
 *     ones are removed
 * @param collectInterval how often each owned host's images are checked against the budget
 */
@ConfigurationProperties("berth.images")
public record ImagesProperties(
    @DefaultValue("5m") Duration pullTimeout,
    @DefaultValue("IfNotPresent") String pullPolicy,
    @DefaultValue("20GB") DataSize diskBudget,
    @DefaultValue("1m") Duration collectInterval) {}
