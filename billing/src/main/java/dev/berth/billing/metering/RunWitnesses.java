package dev.berth.billing.metering;

/** The service's side of metering: what it can vouch for about a run right now. */
@FunctionalInterface
public interface RunWitnesses {

  Witness witness(UsageRun run);

  /** Hosts that do not answer now: their runs must be looked at even between boundaries. */
  default java.util.Set<String> silentHosts() {
    return java.util.Set.of();
  }

  /**
   * What can be vouched for at this moment, read once: a metering tick or a usage read asks for it
   * once and asks it about all its runs, so reading the hosts' state costs one query, not one per
   * run. By default this, for witnesses that read nothing.
   */
  default RunWitnesses now() {
    return this;
  }
}
