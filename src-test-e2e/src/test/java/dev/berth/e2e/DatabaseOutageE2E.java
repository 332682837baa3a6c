package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kill -9 of Berth's PostgreSQL: calls answer 503 saying so, never a 500. */
class DatabaseOutageE2E {

  @Test
  void aDeadDatabaseIsReportedAsUnavailable() throws Exception {
    BerthProcess berth = BerthProcess.start(List.of());
    try {
      String pid =
          Files.readAllLines(berth.dataDir().resolve("postgres").resolve("postmaster.pid"))
              .get(0)
              .trim();
      new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();

      String sub = Groups.unique("nodb");
      var groups = new ContainerGroupsApi(berth.adminClient());
      var billing = new BillingApi(berth.adminClient());
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call :
          List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
              () -> groups.containerGroupsListByResourceGroup(sub, "rg", API_VERSION, null),
              () ->
                  groups.containerGroupsCreateOrUpdate(
                      sub,
                      "rg",
                      "web",
                      API_VERSION,
                      Groups.group("Always", Groups.container("main", 0.1, 0.1, "sleep", "60"))),
              () -> billing.subscriptionUsage(sub, API_VERSION, null, null, null))) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.getCode()).isEqualTo(503);
                  assertThat(e.getResponseBody()).contains("DatabaseUnavailable");
                });
      }
    } finally {
      berth.stop();
    }
  }
}
