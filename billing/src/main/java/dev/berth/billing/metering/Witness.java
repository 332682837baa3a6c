package dev.berth.billing.metering;

import java.time.Instant;

/**
 * What the service can vouch for about a run that has not ended, at the moment the meter asks.
 *
 * @param confirmedAt when Berth (a reconciler pass or a sweep's host listing, on any replica) last
 *     saw the run holding its resources (the time it began asking the host), as recorded on the
 *     run; null when none has yet
 * @param hostUnreachableSince when the run's host stopped answering, or null while it answers
 * @param hostAnsweredAgainAt when the host first answered after it last did not answer, or null
 *     when not known
 */
public record Witness(
    Instant confirmedAt, Instant hostUnreachableSince, Instant hostAnsweredAgainAt) {

  public static final Witness NONE = new Witness(null, null, null);

  public boolean hostUnreachable() {
    return hostUnreachableSince != null;
  }
}
