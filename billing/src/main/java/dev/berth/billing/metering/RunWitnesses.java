package dev.berth.billing.metering;

/** The service's side of metering: what it can vouch for about a run right now. */
@FunctionalInterface
public interface RunWitnesses {

  Witness witness(UsageRun run);

  /** Hosts that do not answer now: their runs must be looked at even between boundaries. */
  default java.util.Set<String> silentHosts() {
    return java.util.Set.of();
  }
}
