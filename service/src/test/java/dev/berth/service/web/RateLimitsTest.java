package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.access.Principal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  /** An hour's period: every call of a test falls in the limiters' first period. */
  private static final Duration PERIOD = Duration.ofHours(1);

  private final RateLimits limits = new RateLimits(3, 0, PERIOD);

  private int admitted(Principal caller, int calls) {
    int admitted = 0;
    for (int i = 0; i < calls; i++) {
      if (limits.refuse(caller).isEmpty()) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void aKeyWithoutItsOwnLimitGetsTheDefaultAndIsToldWhenToRetry() {
    Principal key = new Principal("key-a", "sub");
    assertThat(admitted(key, 3)).isEqualTo(3);

    var refused = limits.refuse(key);
    assertThat(refused).isPresent();
    assertThat(refused.get()).isPositive().isLessThanOrEqualTo(PERIOD);
    assertThat(RateLimits.retryAfterSeconds(refused.get()))
        .isBetween(PERIOD.toSeconds() - 60, PERIOD.toSeconds());
  }

  @Test
  void aKeysOwnLimitReplacesTheDefaultAndKeysAreCountedApart() {
    assertThat(admitted(new Principal("key-b", "sub", 10), 12)).isEqualTo(10);
    assertThat(admitted(new Principal("key-c", "sub", 1), 5)).isEqualTo(1);
    assertThat(admitted(new Principal("key-d", "sub"), 5)).isEqualTo(3);
  }

  @Test
  void theAdminIsNotLimitedUnlessConfigured() {
    assertThat(admitted(Principal.admin(), 1000)).isEqualTo(1000);

    RateLimits limited = new RateLimits(3, 2, PERIOD);
    int admitted = 0;
    for (int i = 0; i < 5; i++) {
      admitted += limited.refuse(Principal.admin()).isEmpty() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(2);
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    assertThat(RateLimits.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(RateLimits.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
  }
}
