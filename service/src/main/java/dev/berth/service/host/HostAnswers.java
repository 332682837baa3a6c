package dev.berth.service.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a host answers, as its calls find out: the last answer, since when it has not answered,
 * and when it answered again. Billing never bills a run past the last answer of its host, and does
 * not bill the time until the host answers again.
 *
 * <p>Each change is handed to a {@link Bookkeeping} that records it where every replica's meter
 * reads it (the hosts table). It records the current state, not the change, and a failed record is
 * tried again by a later call, so a change is not lost to one failed write.
 */
public final class HostAnswers {

  /** Where a host's answering is recorded beyond this process. */
  @FunctionalInterface
  public interface Bookkeeping {

    /** Records nothing: the process's memory is all there is. */
    Bookkeeping NONE = (lastAnswerAt, silentSince, answeredAgainAt) -> true;

    /**
     * Records the host's state as this process sees it.
     *
     * @param lastAnswerAt the last answer this process got, or null before any
     * @param silentSince since when the host has not answered, or null while it answers
     * @param answeredAgainAt when it answered after not answering (or first answered this process),
     *     or null
     * @return whether it was recorded (false: try again later)
     */
    boolean record(Instant lastAnswerAt, Instant silentSince, Instant answeredAgainAt);
  }

  /** How long after a failed record the next call tries again. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final Clock clock;
  private final Bookkeeping bookkeeping;
  private Instant lastAnswerAt;
  private Instant silentSince;
  private Instant answeredAgainAt;

  private final AtomicBoolean unrecorded = new AtomicBoolean();
  private final ReentrantLock recording = new ReentrantLock();
  private volatile Instant retryAt = Instant.MIN;

  public HostAnswers(Clock clock) {
    this(clock, Bookkeeping.NONE);
  }

  public HostAnswers(Clock clock, Bookkeeping bookkeeping) {
    this.clock = clock;
    this.bookkeeping = bookkeeping;
  }

  /** A call got an answer (any answer, an error from the engine included). */
  public void answered() {
    synchronized (this) {
      Instant now = clock.instant();
      if (silentSince != null || lastAnswerAt == null) {
        answeredAgainAt = now;
        unrecorded.set(true);
      }
      silentSince = null;
      lastAnswerAt = now;
    }
    record();
  }

  /** A call got no answer: the host is unreachable, timed out, or cut off by its breaker. */
  public void silent() {
    synchronized (this) {
      if (silentSince == null) {
        silentSince = lastAnswerAt == null ? clock.instant() : lastAnswerAt;
        unrecorded.set(true);
      }
    }
    record();
  }

  /** Since when the host has not answered, or null while it answers. */
  public synchronized Instant silentSince() {
    return silentSince;
  }

  /** When the host first answered after not answering (or first answered at all), or null. */
  public synchronized Instant answeredAgainAt() {
    return answeredAgainAt;
  }

  /**
   * Records the current state if it has not been. One thread records at a time and always the state
   * current when it writes, so records never land out of order; a thread that finds another
   * recording leaves it to that one (which loops while there is something unrecorded).
   */
  private void record() {
    while (unrecorded.get() && !clock.instant().isBefore(retryAt) && recording.tryLock()) {
      try {
        while (unrecorded.getAndSet(false)) {
          Instant last;
          Instant silent;
          Instant again;
          synchronized (this) {
            last = lastAnswerAt;
            silent = silentSince;
            again = answeredAgainAt;
          }
          if (!bookkeeping.record(last, silent, again)) {
            unrecorded.set(true);
            retryAt = clock.instant().plus(RETRY_AFTER);
            return;
          }
        }
      } finally {
        recording.unlock();
      }
    }
  }
}
