package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.Host;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Berth replicas on one PostgreSQL, 20 groups created through either, kill -9 of one replica in
 * the middle: every group runs exactly once, the survivor owns every host within the lease time,
 * and billing's run checks find no mismatch.
 */
class ReplicasE2E {

  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration RENEW = Duration.ofSeconds(1);
  private static final int GROUPS = 20;
  private static Dockerd first;
  private static Dockerd second;
  private static BerthProcess victim;
  private static BerthProcess survivor;

  @BeforeAll
  static void startReplicas() throws Exception {
    first = Dockerd.start("rp1");
    second = Dockerd.start("rp2");
    Map<String, String> environment = new HashMap<>(SharedPostgres.newDatabase());
    // One secret key for the installation, as a real deployment gives every replica.
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    environment.put("BERTH_SECRET_KEY", Base64.getEncoder().encodeToString(key));
    List<String> args =
        List.of(
            "--berth.hosts.ping-interval=1s",
            "--berth.hosts.lease-duration=" + LEASE.toSeconds() + "s",
            "--berth.hosts.lease-renew-interval=" + RENEW.toSeconds() + "s");
    victim = BerthProcess.start(args, environment);
    survivor = BerthProcess.start(args, environment);
    for (BerthProcess replica : List.of(victim, survivor)) {
      HostsApi hosts = new HostsApi(replica.adminClient());
      Hosts.register(hosts, first, "127.0.0.2");
      Hosts.register(hosts, second, "127.0.0.3");
    }
  }

  @AfterAll
  static void stopReplicas() {
    try {
      Stream.of(victim, survivor).filter(Objects::nonNull).forEach(BerthProcess::stop);
    } finally {
      Stream.of(first, second).filter(Objects::nonNull).forEach(Dockerd::close);
    }
  }

  @Test
  void aKilledReplicasHostsAreTakenOverAndEveryGroupRunsExactlyOnce() throws Exception {
    String sub = Groups.unique("replicas");
    List<String> names = IntStream.range(0, GROUPS).mapToObj(i -> "g" + i).toList();
    var survivorGroups = new ContainerGroupsApi(survivor.adminClient());
    HostsApi survivorHosts = new HostsApi(survivor.adminClient());
    EngineScan scan = EngineScan.localAnd(first, second, sub);
    try {
      // The replica that started first took every host; the other's share is handed over to it.
      await("both replicas to own a share of the hosts")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                Map<String, String> owners = owners(survivorHosts);
                return !owners.containsValue("null") && Set.copyOf(owners.values()).size() == 2;
              });
      Map<String, String> ownersBefore = owners(survivorHosts);
      System.out.println("replicas: owners before the kill " + ownersBefore);

      AtomicInteger created = new AtomicInteger();
      CompletableFuture<Void> creating =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < GROUPS; i++) {
                  createThroughEither(sub, names.get(i), i % 2 == 0);
                  created.incrementAndGet();
                }
              });
      await("half the groups to be created")
          .atMost(Duration.ofSeconds(120))
          .until(() -> created.get() >= GROUPS / 2 || creating.isDone());
      long killedAt = System.nanoTime();
      OffsetDateTime killedAtWall = OffsetDateTime.now();
      victim.kill();
      creating.get(5, TimeUnit.MINUTES);

      // One owner for every host, and it is alive: each host answered its pings after the kill.
      await("the survivor to own every host")
          .atMost(LEASE.plus(RENEW.multipliedBy(2)).plusSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                List<Host> all = survivorHosts.listHosts().getValue();
                Set<String> owners = all.stream().map(Host::getOwner).collect(Collectors.toSet());
                return owners.size() == 1
                    && !owners.contains(null)
                    && all.stream()
                        .allMatch(
                            h ->
                                h.getLastAnswerTime() != null
                                    && h.getLastAnswerTime().isAfter(killedAtWall));
              });
      Map<String, String> ownersAfter = owners(survivorHosts);
      System.out.printf(
          "replicas: %.1f s from kill -9 of a replica until one owner held every host %s%n",
          (System.nanoTime() - killedAt) / 1e9, ownersAfter);
      // Both owned hosts before: the one left is one of them, the other's leases are gone.
      assertThat(ownersBefore.values()).contains(ownersAfter.values().iterator().next());

      // Every group runs, exactly once, across all engines.
      for (String name : names) {
        Groups.awaitState(survivorGroups, sub, "rg", name, "Running");
      }
      await("every group to run exactly once")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                EngineScan.Seen seen = scan.assertNoGroupRunsTwice();
                return names.stream().allMatch(n -> seen.running(sub, n).size() == 1);
              });
      // ... and stays so over several renewals of the survivor's leases.
      await("several lease renewals to pass")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                EngineScan.Seen seen = scan.assertNoGroupRunsTwice();
                assertThat(names).allSatisfy(n -> assertThat(seen.running(sub, n)).hasSize(1));
                return System.nanoTime() - killedAt > LEASE.multipliedBy(3).toNanos();
              });
      int groupsOnHosts =
          survivorHosts.listHosts().getValue().stream()
              .mapToInt(h -> h.getGroupCount() == null ? 0 : h.getGroupCount())
              .sum();
      assertThat(groupsOnHosts).isEqualTo(GROUPS);

      // Billing: each run ends with its group and is checked against the engine, without mismatch.
      for (String name : names) {
        survivorGroups.containerGroupsDelete(sub, "rg", name, API_VERSION);
      }
      assertThat(scan.scan().copies()).isEmpty();
      var billing = new BillingApi(survivor.adminClient());
      await("every run to be checked")
          .atMost(Duration.ofSeconds(120))
          .until(() -> billing.billingReconciliation(sub, API_VERSION).getCheckedRuns() >= GROUPS);
      var report = billing.billingReconciliation(sub, API_VERSION);
      System.out.printf(
          "replicas: %d runs checked, %d mismatches%n",
          report.getCheckedRuns(), report.getMismatches());
      assertThat(report.getMismatches()).as("run check mismatches: %s", report).isZero();
    } finally {
      Groups.deleteQuietly(survivorGroups, sub, "rg", names);
    }
  }

  /**
   * Creates through the victim (or the survivor), and through the survivor when the victim does not
   * answer, as a client behind a load balancer would: PUT is idempotent, so a create that the
   * victim committed just before it died is harmless to send again.
   */
  private static void createThroughEither(String sub, String name, boolean victimFirst) {
    List<BerthProcess> order =
        victimFirst && victim.isAlive() ? List.of(victim, survivor) : List.of(survivor);
    List<Exception> failures = new ArrayList<>();
    for (BerthProcess replica : order) {
      try {
        new ContainerGroupsApi(replica.adminClient())
            .containerGroupsCreateOrUpdate(sub, "rg", name, API_VERSION, Groups.sleeper("Always"));
        return;
      } catch (ApiException e) {
        if (e.getCode() != 0 && replica == survivor) {
          throw new AssertionError("the survivor refused " + name + ": " + e.getResponseBody(), e);
        }
        failures.add(e);
      }
    }
    throw new AssertionError("no replica created " + name + ": " + failures);
  }

  private static Map<String, String> owners(HostsApi hosts) throws ApiException {
    Map<String, String> owners = new java.util.TreeMap<>();
    for (Host h : hosts.listHosts().getValue()) {
      owners.put(h.getId(), String.valueOf(h.getOwner()));
    }
    return owners;
  }
}
