package dev.berth.service.host;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether a host answers, as its calls find out: the last answer, since when it has not answered,
 * and when it answered again. Billing never bills a run past the last answer of its host, and does
 * not bill the time until the host answers again.
 */
public final class HostAnswers {

  private final Clock clock;
  private Instant lastAnswerAt;
  private Instant silentSince;
  private Instant answeredAgainAt;

  public HostAnswers(Clock clock) {
    this.clock = clock;
  }

  /** A call got an answer (any answer, an error from the engine included). */
  public synchronized void answered() {
    Instant now = clock.instant();
    if (silentSince != null || lastAnswerAt == null) {
      answeredAgainAt = now;
    }
    silentSince = null;
    lastAnswerAt = now;
  }

  /** A call got no answer: the host is unreachable, timed out, or cut off by its breaker. */
  public synchronized void silent() {
    if (silentSince == null) {
      silentSince = lastAnswerAt == null ? clock.instant() : lastAnswerAt;
    }
  }

  /** Since when the host has not answered, or null while it answers. */
  public synchronized Instant silentSince() {
    return silentSince;
  }

  /** When the host first answered after not answering (or first answered at all), or null. */
  public synchronized Instant answeredAgainAt() {
    return answeredAgainAt;
  }
}
