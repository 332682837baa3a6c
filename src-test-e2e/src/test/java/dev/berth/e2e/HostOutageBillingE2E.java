package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.RunUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A platform fault on the real engine: Berth loses its host while a group runs on it. Billing stops
 * at the host's last answer, the time until the host answers again is recorded but not billed, and
 * billing goes on afterwards.
 */
class HostOutageBillingE2E {

  @Test
  void timeTheHostDoesNotAnswerIsNeverBilled() throws Exception {
    Path dir = Files.createTempDirectory("berth-proxy");
    try (EngineProxy proxy =
        new EngineProxy(dir.resolve("docker.sock"), Path.of("/var/run/docker.sock"))) {
      BerthProcess berth =
          BerthProcess.start(
              List.of(
                  "--berth.hosts.register[0].id=flaky",
                  "--berth.hosts.register[0].endpoint=" + proxy.endpoint(),
                  "--berth.hosts.register[0].response-timeout=3s"));
      try {
        String sub = Groups.unique("outage");
        var groups = new ContainerGroupsApi(berth.adminClient());
        var billing = new BillingApi(berth.adminClient());
        BillingE2E.runUntilBilled(groups, billing, sub, "web", "Always", 0.25, 3, "sleep", "3600");

        proxy.cut();
        // Billing stops: the billed seconds settle at the host's last answer and stay there.
        long[] settled = {-1};
        await("billing to stop while the host is unreachable")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  long now = run(billing, sub).getBilledSeconds();
                  boolean same = now == settled[0];
                  settled[0] = now;
                  return same && run(billing, sub).getRunning();
                });
        await("the bill to stay put during the outage")
            .during(Duration.ofSeconds(6))
            .atMost(Duration.ofSeconds(12))
            .until(() -> run(billing, sub).getBilledSeconds() == settled[0]);

        proxy.restore();
        // The outage is recorded, not billed, and billing resumes once the host answers.
        await("the outage to be written as unbilled and billing to resume")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  RunUsage r = run(billing, sub);
                  return r.getUnbilledSeconds() >= 6 && r.getBilledSeconds() > settled[0];
                });
        RunUsage after = run(billing, sub);
        assertThat(after.getRunning()).isTrue();
        assertThat(after.getCharges()).singleElement();
        BillingE2E.assertCostIsSecondsTimesPrices(after, "0.25", "0.25");

        groups.containerGroupsDelete(sub, "rg", "web", API_VERSION);
        await("the run to be checked")
            .atMost(Duration.ofSeconds(60))
            .until(() -> billing.billingReconciliation(sub, API_VERSION).getCheckedRuns() == 1);
        assertThat(billing.billingReconciliation(sub, API_VERSION).getMismatches()).isZero();
      } finally {
        berth.stop();
      }
    }
  }

  private static RunUsage run(BillingApi billing, String sub) throws Exception {
    return BillingE2E.onlyRun(billing.containerGroupUsage(sub, "rg", "web", API_VERSION));
  }
}
