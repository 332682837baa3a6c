package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerState;
import dev.berth.sdk.model.GroupUsage;
import dev.berth.sdk.model.RunUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Billing on the real engine, through the SDK only: billed seconds match the engine's StartedAt and
 * FinishedAt, the cost is seconds x list prices, a kill -9 loses and doubles nothing, and a stopped
 * group stops costing.
 */
class BillingE2E {

  private static final String ENGINE = "unix:///var/run/docker.sock";
  private static final BigDecimal PER_VCPU_SECOND = new BigDecimal("0.00001125");
  private static final BigDecimal PER_GB_SECOND = new BigDecimal("0.00000124");

  static RunUsage onlyRun(GroupUsage usage) {
    assertThat(usage.getRuns()).hasSize(1);
    return usage.getRuns().get(0);
  }

  /**
   * Creates a one-container group ({@code size} vCPU and GB) in resource group "rg" and waits until
   * it runs and has been billed {@code seconds}.
   */
  static void runUntilBilled(
      ContainerGroupsApi groups,
      BillingApi billing,
      String sub,
      String name,
      String restartPolicy,
      double size,
      long seconds,
      String... command)
      throws Exception {
    groups.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        name,
        API_VERSION,
        Groups.group(restartPolicy, Groups.container("main", size, size, command)));
    Groups.awaitState(groups, sub, "rg", name, "Running");
    awaitBilledSeconds(billing, sub, name, seconds);
  }

  static void awaitBilledSeconds(BillingApi billing, String sub, String group, long atLeast) {
    await(group + " to be billed " + atLeast + " s")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                onlyRun(billing.containerGroupUsage(sub, "rg", group, API_VERSION))
                        .getBilledSeconds()
                    >= atLeast);
  }

  /** The ledger keeps PostgreSQL's microseconds of the engine's nanosecond times. */
  static java.time.OffsetDateTime micros(java.time.OffsetDateTime engineTime) {
    return engineTime.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  static double engineSeconds(ContainerState state) {
    return Duration.between(state.getStartTime(), state.getFinishTime()).toNanos() / 1e9;
  }

  static void assertCostIsSecondsTimesPrices(RunUsage run, String cpu, String gb) {
    BigDecimal expected =
        BigDecimal.valueOf(run.getBilledSeconds())
            .multiply(
                new BigDecimal(cpu)
                    .multiply(PER_VCPU_SECOND)
                    .add(new BigDecimal(gb).multiply(PER_GB_SECOND)));
    assertThat(new BigDecimal(run.getCost())).isEqualByComparingTo(expected);
  }

  @Test
  void aNeverGroupRunningSleepFiveIsBilledTheEnginesSecondsAtListPrices() throws Exception {
    BerthProcess berth = BerthProcess.get();
    String sub = Groups.unique("bill");
    var groups = new ContainerGroupsApi(berth.adminClient());
    var billing = new BillingApi(berth.adminClient());
    groups.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "sleeper",
        API_VERSION,
        Groups.group("Never", Groups.container("main", 1, 1.5, "sleep", "5")));

    ContainerGroup done = Groups.awaitState(groups, sub, "rg", "sleeper", "Succeeded");
    ContainerState engine =
        done.getProperties()
            .getContainers()
            .get(0)
            .getProperties()
            .getInstanceView()
            .getCurrentState();

    RunUsage run = onlyRun(billing.containerGroupUsage(sub, "rg", "sleeper", API_VERSION));
    assertThat(run.getRunning()).isFalse();
    assertThat(run.getEndReason()).isEqualTo(RunUsage.EndReasonEnum.COMPLETED);
    assertThat(run.getStartTime()).isEqualTo(micros(engine.getStartTime()));
    assertThat(run.getEndTime()).isEqualTo(micros(engine.getFinishTime()));
    assertThat((double) run.getBilledSeconds())
        .isCloseTo(engineSeconds(engine), org.assertj.core.data.Offset.offset(0.999));
    assertThat(run.getUnbilledSeconds()).isZero();
    assertCostIsSecondsTimesPrices(run, "1", "1.5");
    assertThat(run.getCharges())
        .singleElement()
        .satisfies(c -> assertThat(c.getCost()).isEqualTo(run.getCost()));

    // The reconciliation job checks the finished run against the engine's times: no mismatch.
    await("the run to be checked")
        .atMost(Duration.ofSeconds(30))
        .until(() -> billing.billingReconciliation(sub, API_VERSION).getCheckedRuns() == 1);
    assertThat(billing.billingReconciliation(sub, API_VERSION).getMismatches()).isZero();
    // ... and the metric operators alert on says the same (admin key only).
    var metric =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            berth.baseUri()
                                + "/actuator/metrics/berth.billing.reconciliation.mismatches"))
                    .header("Authorization", "Bearer " + berth.adminKey())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metric.statusCode()).isEqualTo(200);
    assertThat(metric.body())
        .contains("\"measurements\":[{\"statistic\":\"VALUE\",\"value\":0.0}]");

    // The subscription view and its CSV add up to the same money.
    var usage = billing.subscriptionUsage(sub, API_VERSION, null, null, "Hourly");
    assertThat(new BigDecimal(usage.getTotalCost())).isEqualByComparingTo(run.getCost());
    String csv =
        java.nio.file.Files.readString(
            billing.subscriptionUsageExport(sub, API_VERSION, null, null, "Hourly").toPath());
    BigDecimal csvTotal =
        csv.lines()
            .skip(1)
            .map(l -> new BigDecimal(l.split(",")[6]))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(csvTotal).isEqualByComparingTo(run.getCost());
    groups.containerGroupsDelete(sub, "rg", "sleeper", API_VERSION);
  }

  @Test
  void aKillNineWhileAGroupRunsLosesAndDoublesNothing() throws Exception {
    BerthProcess berth = BerthProcess.start(List.of());
    String sub = Groups.unique("billcrash");
    BerthProcess restarted = null;
    try {
      var groups = new ContainerGroupsApi(berth.adminClient());
      var billing = new BillingApi(berth.adminClient());
      // Some segments are written before the kill (the meter cuts them every 2 s).
      runUntilBilled(groups, billing, sub, "job", "Never", 0.5, 4, "sleep", "12");

      berth.kill();
      // The container finishes while nobody watches.
      await("the container to exit while Berth is down")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  new EngineSocket(ENGINE)
                      .containersOf(sub, "job")
                      .get(0)
                      .get("State")
                      .asText()
                      .equals("exited"));

      restarted = berth.restart();
      var after = new ContainerGroupsApi(restarted.adminClient());
      var billingAfter = new BillingApi(restarted.adminClient());
      ContainerGroup done = Groups.awaitState(after, sub, "rg", "job", "Succeeded");
      ContainerState engine =
          done.getProperties()
              .getContainers()
              .get(0)
              .getProperties()
              .getInstanceView()
              .getCurrentState();
      await("the run to be checked")
          .atMost(Duration.ofSeconds(30))
          .until(() -> billingAfter.billingReconciliation(sub, API_VERSION).getCheckedRuns() == 1);
      assertThat(billingAfter.billingReconciliation(sub, API_VERSION).getMismatches()).isZero();

      RunUsage run = onlyRun(billingAfter.containerGroupUsage(sub, "rg", "job", API_VERSION));
      assertThat(run.getEndTime()).isEqualTo(micros(engine.getFinishTime()));
      assertThat((double) run.getBilledSeconds())
          .isCloseTo(engineSeconds(engine), org.assertj.core.data.Offset.offset(0.999));
      assertCostIsSecondsTimesPrices(run, "0.5", "0.5");
      after.containerGroupsDelete(sub, "rg", "job", API_VERSION);
    } finally {
      if (restarted != null) {
        restarted.stop();
      } else {
        berth.stop();
      }
    }
  }

  @Test
  void anotherTenantsBillLooksLikeNothingAtAll() throws Exception {
    BerthProcess berth = BerthProcess.get();
    String mine = Groups.unique("tenant-a");
    String theirs = Groups.unique("tenant-b");
    String key =
        new dev.berth.sdk.api.AdminApi(berth.adminClient())
            .createApiKey(new dev.berth.sdk.model.ApiKeyRequest().subscriptionId(mine))
            .getKey();
    var billing = new BillingApi(berth.client(key));
    assertThat(billing.subscriptionsList(API_VERSION).getValue())
        .extracting(dev.berth.sdk.model.Subscription::getSubscriptionId)
        .containsExactly(mine);
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call :
        List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
            () -> billing.subscriptionUsage(theirs, API_VERSION, null, null, null),
            () -> billing.containerGroupUsage(theirs, "rg", "web", API_VERSION),
            () -> billing.invoicesList(theirs, API_VERSION),
            () -> billing.billingReconciliation(theirs, API_VERSION))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              dev.berth.sdk.ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(404);
                assertThat(e.getResponseBody()).contains("SubscriptionNotFound");
              });
    }
    // Bad input names the field and the rule; a group that never existed has no usage.
    var mineOnly = billing;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                mineOnly.subscriptionUsage(
                    mine,
                    API_VERSION,
                    java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                    java.time.OffsetDateTime.parse("2026-03-01T00:00:00Z"),
                    "Hourly"))
        .isInstanceOfSatisfying(
            dev.berth.sdk.ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("\"target\":\"to\"").contains("31 days");
            });
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> mineOnly.containerGroupUsage(mine, "rg", "never-was", API_VERSION))
        .isInstanceOfSatisfying(
            dev.berth.sdk.ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    // Its own, empty so far, is there.
    assertThat(billing.subscriptionUsage(mine, API_VERSION, null, null, null).getTotalCost())
        .isEqualTo("0");
  }

  @Test
  void aStoppedGroupStopsBilling() throws Exception {
    BerthProcess berth = BerthProcess.get();
    String sub = Groups.unique("billstop");
    var groups = new ContainerGroupsApi(berth.adminClient());
    var actions = new ContainerGroupActionsApi(berth.adminClient());
    var billing = new BillingApi(berth.adminClient());
    runUntilBilled(groups, billing, sub, "web", "Always", 0.25, 2, "sleep", "3600");
    assertThat(billing.subscriptionUsage(sub, API_VERSION, null, null, null).getByGroup())
        .singleElement()
        .satisfies(g -> assertThat(g.getRunning()).isTrue());

    actions.containerGroupsStop(sub, "rg", "web", API_VERSION);
    ContainerGroup stopped = Groups.awaitState(groups, sub, "rg", "web", "Stopped");
    ContainerState engine =
        stopped
            .getProperties()
            .getContainers()
            .get(0)
            .getProperties()
            .getInstanceView()
            .getCurrentState();
    RunUsage run = onlyRun(billing.containerGroupUsage(sub, "rg", "web", API_VERSION));
    assertThat(run.getEndReason()).isEqualTo(RunUsage.EndReasonEnum.STOPPED);
    assertThat(run.getEndTime()).isEqualTo(micros(engine.getFinishTime()));
    long billed = run.getBilledSeconds();
    assertThat((double) billed)
        .isCloseTo(engineSeconds(engine), org.assertj.core.data.Offset.offset(0.999));
    // It stays where it is while the group is stopped (checked over several meter ticks).
    await("the bill to stay put")
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                onlyRun(billing.containerGroupUsage(sub, "rg", "web", API_VERSION))
                        .getBilledSeconds()
                    == billed);
    assertThat(billing.subscriptionUsage(sub, API_VERSION, null, null, null).getByGroup())
        .singleElement()
        .satisfies(g -> assertThat(g.getRunning()).isFalse());
    // The month's draft invoice bills exactly those seconds, at the same exact amount.
    String month = run.getEndTime().toString().substring(0, 7);
    var invoice = billing.invoicesGet(sub, month, API_VERSION);
    assertThat(invoice.getStatus()).isEqualTo(dev.berth.sdk.model.Invoice.StatusEnum.DRAFT);
    assertThat(invoice.getLines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getBilledSeconds()).isEqualTo(billed);
              assertThat(new BigDecimal(line.getExactAmount())).isEqualByComparingTo(run.getCost());
            });
    groups.containerGroupsDelete(sub, "rg", "web", API_VERSION);
  }
}
