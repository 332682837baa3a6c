package dev.berth.service.reconciliation;

import dev.berth.billing.metering.RunWitnesses;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.Witness;
import dev.berth.service.host.HostAnswers;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the service vouches for about a run: the reconciler's last confirmation that it held its
 * resources, and whether its host answers.
 */
public final class RunWitnessing implements RunWitnesses {

  private final RunConfirmations confirmations;
  private final Function<String, Optional<HostAnswers>> hostAnswers;
  private final java.util.function.Supplier<java.util.Set<String>> silentHosts;

  public RunWitnessing(
      RunConfirmations confirmations,
      Function<String, Optional<HostAnswers>> hostAnswers,
      java.util.function.Supplier<java.util.Set<String>> silentHosts) {
    this.confirmations = confirmations;
    this.hostAnswers = hostAnswers;
    this.silentHosts = silentHosts;
  }

  @Override
  public java.util.Set<String> silentHosts() {
    return silentHosts.get();
  }

  @Override
  public Witness witness(UsageRun run) {
    Optional<HostAnswers> host =
        run.hostId() == null ? Optional.empty() : hostAnswers.apply(run.hostId());
    return new Witness(
        confirmations.confirmedAt(run.groupId(), run.generation()),
        host.map(HostAnswers::silentSince).orElse(null),
        host.map(HostAnswers::answeredAgainAt).orElse(null));
  }
}
