package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.LocationApi;
import dev.berth.sdk.api.QuotasApi;
import dev.berth.sdk.model.QuotaOverrides;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Berth replicas on one PostgreSQL take concurrent creates of one subscription: however the
 * PUTs are spread over the replicas, no more groups are created than the quota allows.
 */
class QuotaReplicasE2E {

  private static BerthProcess one;
  private static BerthProcess two;

  @BeforeAll
  static void startReplicas() {
    Map<String, String> environment = new HashMap<>(SharedPostgres.newDatabase());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    environment.put("BERTH_SECRET_KEY", Base64.getEncoder().encodeToString(key));
    one = BerthProcess.start(List.of(), environment);
    two = BerthProcess.start(List.of(), environment);
  }

  @AfterAll
  static void stopReplicas() {
    Stream.of(one, two).filter(Objects::nonNull).forEach(BerthProcess::stop);
  }

  @Test
  void concurrentCreatesThroughTwoReplicasCannotPassTheQuota() throws Exception {
    String sub = Groups.unique("quota-rp");
    new QuotasApi(one.adminClient())
        .setSubscriptionQuota(sub, new QuotaOverrides().containerGroups(3));
    List<ContainerGroupsApi> replicas =
        List.of(
            new ContainerGroupsApi(one.adminClient()), new ContainerGroupsApi(two.adminClient()));
    int creates = 10;
    List<String> names = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(creates);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < creates; i++) {
        String name = "g" + i;
        names.add(name);
        ContainerGroupsApi api = replicas.get(i % 2);
        statuses.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    api.containerGroupsCreateOrUpdate(
                        sub, "rg", name, API_VERSION, Groups.sleeper("Never"));
                    return 201;
                  } catch (ApiException e) {
                    assertThat(e.getResponseBody()).contains("ContainerGroupQuotaReached");
                    return e.getCode();
                  }
                }));
      }
      go.countDown();
      List<Integer> answered = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        answered.add(status.get());
      }
      assertThat(answered).filteredOn(s -> s == 201).hasSize(3);
      assertThat(answered).filteredOn(s -> s == 400).hasSize(creates - 3);
      assertThat(
              new ContainerGroupsApi(two.adminClient())
                  .containerGroupsList(sub, API_VERSION, null)
                  .getValue())
          .hasSize(3);
      var groups =
          new LocationApi(two.adminClient())
              .locationListUsage(sub, "local", API_VERSION).getValue().stream()
                  .filter(u -> u.getName().getValue().equals("ContainerGroups"))
                  .findFirst()
                  .orElseThrow();
      assertThat(groups.getCurrentValue()).isEqualTo(3);
    } finally {
      pool.shutdownNow();
      Groups.deleteQuietly(replicas.get(0), sub, "rg", names);
    }
  }
}
