package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.api.AdminApi;
import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.ApiKeyRequest;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The cost dashboard in a real headless Chromium (Debian's, driven by its chromedriver), signed in
 * with a key scoped to one subscription.
 */
class DashboardE2E {

  private ChromeDriver browser;
  private Path home;

  @BeforeEach
  void openBrowser() throws Exception {
    home = Files.createTempDirectory("berth-chromium");
    // The driver is given, so Selenium Manager never runs (it would try to download one).
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .withEnvironment(Map.of("HOME", home.toString(), "SE_OFFLINE", "true"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + home.resolve("profile"));
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static BigDecimal dollars(String shown) {
    return new BigDecimal(shown.replace("$", "").trim());
  }

  @Test
  void aScopedUserSeesCostAccrueTheChartAndACsvThatMatchesTheApi() throws Exception {
    BerthProcess berth = BerthProcess.get();
    String sub = Groups.unique("dash");
    String key =
        new AdminApi(berth.adminClient())
            .createApiKey(new ApiKeyRequest().subscriptionId(sub).description("dashboard test"))
            .getKey();
    var groups = new ContainerGroupsApi(berth.client(key));
    var billing = new BillingApi(berth.client(key));
    groups.containerGroupsCreateOrUpdate(
        sub,
        "web-rg",
        "web",
        API_VERSION,
        Groups.group("Always", Groups.container("main", 1, 1, "sleep", "3600")));
    groups.containerGroupsCreateOrUpdate(
        sub,
        "batch-rg",
        "job",
        API_VERSION,
        Groups.group("Never", Groups.container("main", 0.5, 0.5, "sleep", "1")));
    Groups.awaitState(groups, sub, "web-rg", "web", "Running");
    Groups.awaitState(groups, sub, "batch-rg", "job", "Succeeded");

    signIn(berth, key);

    // A scoped key sees its own subscription and no other.
    List<WebElement> options = new Select(browser.findElement(By.id("subscription"))).getOptions();
    assertThat(options).extracting(WebElement::getText).containsExactly(sub.toLowerCase());

    // The running group's cost ticks up while we watch.
    By webCost = By.cssSelector("#running tr[data-group='web-rg/web'] td.cost");
    await("the running group on the ticker")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> !browser.findElement(webCost).getText().isBlank());
    BigDecimal first = dollars(browser.findElement(webCost).getText());
    await("the ticker to move")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> dollars(browser.findElement(webCost).getText()).compareTo(first) > 0);
    assertThat(dollars(text("ticker-total"))).isGreaterThan(BigDecimal.ZERO);

    // The chart is drawn by Chart.js from the time series.
    Object points =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const c = Chart.getChart(document.getElementById('cost-chart'));"
                    + " return c ? c.data.datasets[0].data.length : -1;");
    assertThat(((Number) points).intValue()).isPositive();
    assertThat(browser.findElement(By.id("cost-chart")).getSize().getWidth()).isPositive();

    Object split =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return Chart.getChart(document.getElementById('resource-group-chart'))"
                    + ".data.labels.join(',');");
    assertThat((String) split).contains("web-rg").contains("batch-rg");
    // Both resource groups and the drill-down into one group's runs and how they were priced.
    assertThat(text("by-resource-group")).contains("web-rg").contains("batch-rg");
    browser.findElement(By.cssSelector("#by-group tr[data-group='batch-rg/job']")).click();
    await("the drill-down")
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.id("drill-down")).isDisplayed());
    assertThat(text("runs")).contains("vCPU-s x 0.00001125").contains("GB-s x 0.00000124");
    assertThat(text("invoice-status")).isEqualTo("Draft");
    // Kept for people to look at (CI artifact), not compared.
    Files.write(
        Path.of("target", "dashboard.png"),
        browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));

    // Once nothing accrues, the CSV the dashboard offers is the API's, byte for byte.
    new ContainerGroupActionsApi(berth.client(key))
        .containerGroupsStop(sub, "web-rg", "web", API_VERSION);
    Groups.awaitState(groups, sub, "web-rg", "web", "Stopped");
    String apiCsv =
        Files.readString(
            billing.subscriptionUsageExport(sub, API_VERSION, null, null, "Daily").toPath());
    assertThat(apiCsv.lines()).hasSize(3); // header, batch-rg/job, web-rg/web
    await("the dashboard's CSV to match the API's")
        .atMost(Duration.ofSeconds(30))
        .until(() -> apiCsv.equals(dashboardCsv()));
    groups.containerGroupsDelete(sub, "web-rg", "web", API_VERSION);
    groups.containerGroupsDelete(sub, "batch-rg", "job", API_VERSION);
  }

  /** Signs in on the dashboard with {@code key}; the board opens. */
  private void signIn(BerthProcess berth, String key) {
    browser.get(berth.baseUri() + "/dashboard");
    browser.findElement(By.id("api-key")).sendKeys(key);
    browser.findElement(By.cssSelector("#sign-in-form button")).click();
    try {
      await("the board")
          .atMost(Duration.ofSeconds(20))
          .failFast("sign-in failed", () -> !text("sign-in-error").isBlank())
          .until(() -> browser.findElement(By.id("board")).isDisplayed());
    } catch (RuntimeException e) {
      throw new AssertionError(
          "dashboard did not open; sign-in says '"
              + text("sign-in-error")
              + "'; page: "
              + browser.getPageSource(),
          e);
    }
  }

  private Object script(String js) {
    return ((JavascriptExecutor) browser).executeScript(js);
  }

  @Test
  void aUserWatchesAGroupsLogTailGrowAndItsCpuChartDrawAndStopsItWithItsButton() throws Exception {
    BerthProcess berth = BerthProcess.get();
    String sub = Groups.unique("console");
    String key =
        new AdminApi(berth.adminClient())
            .createApiKey(new ApiKeyRequest().subscriptionId(sub).description("console test"))
            .getKey();
    var groups = new ContainerGroupsApi(berth.client(key));
    groups.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "ticker",
        API_VERSION,
        Groups.group(
            "Always",
            Groups.container(
                "main",
                0.1,
                0.0625,
                "sh",
                "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done")));
    try {
      Groups.awaitState(groups, sub, "rg", "ticker", "Running");
      signIn(berth, key);
      assertThat(browser.findElement(By.id("fleet-tab")).isDisplayed())
          .as("a scoped key has no fleet page")
          .isFalse();

      browser.findElement(By.cssSelector("nav#pages a[data-page='groups']")).click();
      By row = By.cssSelector("#groups tr[data-group='rg/ticker']");
      await("the group in the list")
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> browser.findElement(row).getText().contains("Running"));
      assertThat(browser.findElement(row).getText()).contains("local");
      browser.findElement(row).click();
      await("the group's page")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  browser.findElement(By.id("group-page")).isDisplayed()
                      && text("group-state").equals("Running"));
      assertThat(text("group-containers")).contains("main").contains("Running");

      // The live log tail grows while we watch.
      await("the log tail")
          .atMost(Duration.ofSeconds(20))
          .until(() -> text("log-tail").contains("tick 3"));
      long seen = text("log-tail").lines().count();
      await("the log tail to grow")
          .atMost(Duration.ofSeconds(20))
          .until(() -> text("log-tail").lines().count() > seen + 3);
      assertThat(text("log-state")).isEqualTo("following");

      // The CPU and memory chart is drawn from GET .../metrics.
      await("the CPU chart")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      script(
                          "const c = Chart.getChart(document.getElementById('usage-chart'));"
                              + " return !!c && c.data.datasets.some(d => d.label.includes('CPU')"
                              + " && d.data.some(v => v !== null));")));
      assertThat(browser.findElement(By.id("usage-chart")).getSize().getWidth()).isPositive();
      assertThat(text("group-events")).contains("Started");

      // The stop button stops it.
      browser.findElement(By.id("group-stop")).click();
      Groups.awaitState(groups, sub, "rg", "ticker", "Stopped");
      await("the page to show it stopped")
          .atMost(Duration.ofSeconds(20))
          .until(() -> text("group-state").equals("Stopped"));
      assertThat(text("group-error")).isBlank();
    } finally {
      Groups.deleteQuietly(groups, sub, "rg", List.of("ticker"));
    }
  }

  @Test
  void theAdminSeesTheFleetWithCapacityAndCordonsAHostFromIt() throws Exception {
    BerthProcess berth = BerthProcess.get();
    var hosts = new dev.berth.sdk.api.HostsApi(berth.adminClient());
    signIn(berth, berth.adminKey());
    By fleetTab = By.id("fleet-tab");
    await("the fleet tab")
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.findElement(fleetTab).isDisplayed());
    browser.findElement(fleetTab).click();
    By local = By.cssSelector("#hosts tr[data-host='local']");
    await("the local host")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> browser.findElement(local).getText().contains("Ready"));
    assertThat(browser.findElement(local).findElements(By.cssSelector(".bar"))).hasSize(2);
    assertThat(browser.findElement(local).getText()).contains("vCPU").contains("GB");
    try {
      browser
          .findElement(
              By.xpath("//table[@id='hosts']//tr[@data-host='local']//button[text()='Cordon']"))
          .click();
      await("the host shown cordoned")
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> browser.findElement(local).getText().contains("Cordoned"));
      assertThat(hosts.getHost("local").getState())
          .isEqualTo(dev.berth.sdk.model.Host.StateEnum.CORDONED);
      assertThat(text("fleet-error")).isBlank();
    } finally {
      hosts.uncordonHost("local");
    }
  }

  private String dashboardCsv() {
    return (String)
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " fetch(document.getElementById('csv-link').href)"
                    + ".then(r => r.text()).then(done, e => done('failed: ' + e));");
  }
}
