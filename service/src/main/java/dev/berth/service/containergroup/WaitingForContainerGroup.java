package dev.berth.service.containergroup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Waits, up to a timeout, for a group to reach one of a set of states: what ACI clients do by
 * polling, done once on the server. Reads the observed status the reconciler writes.
 */
public final class WaitingForContainerGroup {

  /** How often the status is read while waiting. */
  private static final Duration POLL = Duration.ofMillis(50);

  private final ContainerGroupStore store;
  private final Clock clock;

  public WaitingForContainerGroup(ContainerGroupStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** How a wait ended. */
  public enum Result {
    /** The group is in one of the wanted states. */
    REACHED,
    /** The timeout passed first. */
    TIMED_OUT,
    /** The group finished in another state and will not reach a wanted one without a new action. */
    UNREACHABLE
  }

  public record Outcome(Result result, ContainerGroup group, GroupStatus status) {}

  /** Empty when there is no such group (or it was deleted while waiting). */
  public Optional<Outcome> waitFor(GroupKey key, Set<GroupState> wanted, Duration timeout) {
    return waitFor(key, wanted, false, timeout);
  }

  /**
   * Waits for one of {@code wanted}, or (when {@code ready}) for the group to run with every
   * container ready ({@link Readiness#allReady}); empty when there is no such group.
   */
  public Optional<Outcome> waitFor(
      GroupKey key, Set<GroupState> wanted, boolean ready, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<ContainerGroup> group = store.find(key);
      if (group.isEmpty()) {
        return Optional.empty();
      }
      GroupStatus status = store.status(group.get().id()).orElse(null);
      boolean current = status != null && status.observedGeneration() == group.get().generation();
      if (current
          && (wanted.contains(status.state())
              || (ready && Readiness.allReady(group.get().spec(), status)))) {
        return Optional.of(new Outcome(Result.REACHED, group.get(), status));
      }
      if (current && status.state().isTerminal()) {
        return Optional.of(new Outcome(Result.UNREACHABLE, group.get(), status));
      }
      if (!clock.instant().isBefore(deadline)) {
        return Optional.of(new Outcome(Result.TIMED_OUT, group.get(), status));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of(new Outcome(Result.TIMED_OUT, group.get(), status));
      }
    }
  }
}
