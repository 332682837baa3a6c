package dev.berth.service.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.service.access.Principal;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Optional;

/**
 * Each key's requests per second, counted by a Resilience4j rate limiter of its own on this replica
 * (a limit of N admits N calls in each second; a call past it is refused at once, never queued).
 * Replicas count apart, so across R replicas a key may make up to R times its limit; the limit is
 * for fair use, not for billing.
 */
public final class RateLimits {

  private final int keyDefault;
  private final int adminLimit;
  private final Duration period;

  /** A key quiet for ten minutes has a full second's allowance anyway; its limiter is dropped. */
  private final Cache<String, AtomicRateLimiter> limiters =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

  /**
   * @param keyDefault requests per second of a key issued without its own limit
   * @param adminLimit the admin key's; 0 for none
   */
  public RateLimits(int keyDefault, int adminLimit) {
    this(keyDefault, adminLimit, Duration.ofSeconds(1));
  }

  /** Limits per {@code period} instead of per second (tests use a long one). */
  RateLimits(int keyDefault, int adminLimit, Duration period) {
    this.keyDefault = keyDefault;
    this.adminLimit = adminLimit;
    this.period = period;
  }

  /**
   * Counts one call of {@code caller}: empty when it may go on, else how long until it may try
   * again (at least a second, as Retry-After counts whole seconds).
   */
  public Optional<Duration> refuse(Principal caller) {
    int limit =
        caller.isAdmin()
            ? adminLimit
            : caller.requestsPerSecond() != null ? caller.requestsPerSecond() : keyDefault;
    if (limit <= 0) {
      return Optional.empty();
    }
    // Keyed by the limit too: a key reissued with another limit gets a limiter of that size.
    AtomicRateLimiter limiter =
        limiters.get(caller.keyId() + "/" + limit, name -> limiter(name, limit, period));
    if (limiter.acquirePermission()) {
      return Optional.empty();
    }
    long nanos = Math.max(limiter.getDetailedMetrics().getNanosToWait(), 1);
    return Optional.of(Duration.ofNanos(nanos));
  }

  private static AtomicRateLimiter limiter(String name, int limit, Duration period) {
    return new AtomicRateLimiter(
        name,
        RateLimiterConfig.custom()
            .limitForPeriod(limit)
            .limitRefreshPeriod(period)
            .timeoutDuration(Duration.ZERO)
            .writableStackTraceEnabled(false)
            .build());
  }

  /** Retry-After's whole seconds for a wait, rounded up. */
  static long retryAfterSeconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }
}
