package dev.berth.billing.metering;

/** The service's side of metering: what it can vouch for about a run right now. */
@FunctionalInterface
public interface RunWitnesses {

  Witness witness(UsageRun run);
}
