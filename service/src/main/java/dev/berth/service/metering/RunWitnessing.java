package dev.berth.service.metering;

import dev.berth.billing.metering.RunWitnesses;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.Witness;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the service vouches for about a run, all of it from PostgreSQL: the last confirmation that
 * the run held its resources (on the run's row, written by whichever replica reconciled it) and
 * whether its host answers (the hosts table, written by the host's owner). {@link #now()} reads the
 * hosts once for a whole metering tick or usage read.
 */
public final class RunWitnessing implements RunWitnesses {

  private final HostAnswerRecords hosts;

  public RunWitnessing(HostAnswerRecords hosts) {
    this.hosts = hosts;
  }

  @Override
  public RunWitnesses now() {
    return new AtOneMoment(hosts.all());
  }

  @Override
  public Set<String> silentHosts() {
    return now().silentHosts();
  }

  @Override
  public Witness witness(UsageRun run) {
    return now().witness(run);
  }

  /** The hosts' records as read once. */
  private record AtOneMoment(Map<String, HostAnswerRecords.HostAnswer> hosts)
      implements RunWitnesses {

    @Override
    public Set<String> silentHosts() {
      return hosts.entrySet().stream()
          .filter(e -> e.getValue().silentSince() != null)
          .map(Map.Entry::getKey)
          .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Witness witness(UsageRun run) {
      HostAnswerRecords.HostAnswer host = run.hostId() == null ? null : hosts.get(run.hostId());
      return new Witness(
          run.confirmedAt(),
          host == null ? null : host.silentSince(),
          host == null ? null : host.answeredAgainAt());
    }
  }
}
