package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerPort;
import dev.berth.sdk.model.IpAddress;
import dev.berth.sdk.model.Port;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group's IP address: published ports, a shared network namespace, the fqdn. */
class NetworkingE2E {

  private static final String ENGINE = "unix:///var/run/docker.sock";
  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainersApi containers = new ContainersApi(berth.adminClient());

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  private static ContainerGroup webWithClient(int port, String dnsLabel) {
    ContainerGroup group =
        Groups.group(
            "Always",
            Groups.container(
                "web",
                0.25,
                0.125,
                "sh",
                "-c",
                "echo hello from web > /tmp/index.html; httpd -f -p " + port + " -h /tmp"),
            Groups.container("client", 0.25, 0.125, "sleep", "3600"));
    group
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .ports(List.of(new ContainerPort().port(port)));
    group
        .getProperties()
        .ipAddress(
            new IpAddress()
                .type("Public")
                .dnsNameLabel(dnsLabel)
                .ports(List.of(new Port().port(port).protocol("TCP"))));
    return group;
  }

  @Test
  void twoContainersShareLocalhostAndThePublishedPortAnswersOn127001() throws Exception {
    String sub = Groups.unique("net");
    int port = freePort();
    api.containerGroupsCreateOrUpdate(
        sub, "rg", "site", API_VERSION, webWithClient(port, "site-" + port));

    ContainerGroup running = Groups.awaitState(api, sub, "rg", "site", "Running");
    IpAddress ip = running.getProperties().getIpAddress();
    assertThat(ip.getIp()).isEqualTo("127.0.0.1");
    assertThat(ip.getFqdn()).isEqualTo("site-" + port + ".local.berth.local");
    assertThat(ip.getPorts()).extracting(Port::getPort).containsExactly(port);

    HttpClient http = HttpClient.newHttpClient();
    URI page = URI.create("http://127.0.0.1:" + port + "/index.html");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .equals("hello from web\n"));

    // The other container reaches it on localhost: one network namespace for the group.
    var fetched =
        containers.containersExecuteCommand(
            sub,
            "rg",
            "site",
            "client",
            API_VERSION,
            new ContainerExecRequest()
                .argv(List.of("wget", "-qO-", "http://localhost:" + port + "/index.html")));
    assertThat(fetched.getStdout()).isEqualTo("hello from web\n");

    JsonNode onEngine = new EngineSocket(ENGINE).containersOf(sub, "site");
    assertThat(onEngine).hasSize(3);
    assertThat(onEngine)
        .extracting(c -> c.get("Labels").get("dev.berth.container").asText())
        .containsExactlyInAnyOrder("web", "client", "_sandbox");

    // The port is the group's: another group cannot publish it on this host's only address.
    assertThatThrownBy(
            () ->
                api.containerGroupsCreateOrUpdate(
                    sub, "rg", "rival", API_VERSION, webWithClient(port, null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody())
                  .contains("InsufficientCapacity")
                  .contains(port + "/TCP");
            });

    api.containerGroupsDelete(sub, "rg", "site", API_VERSION);
    assertThat(new EngineSocket(ENGINE).containersOf(sub, "site")).isEmpty();
    // Freed with the group.
    api.containerGroupsCreateOrUpdate(sub, "rg", "rival", API_VERSION, webWithClient(port, null));
    Groups.awaitState(api, sub, "rg", "rival", "Running");
    api.containerGroupsDelete(sub, "rg", "rival", API_VERSION);
  }

  @Test
  void aLoneContainerPublishesItsOwnPort() throws Exception {
    String sub = Groups.unique("lone");
    int port = freePort();
    ContainerGroup group =
        Groups.group(
            "Always",
            Groups.container(
                "web",
                0.25,
                0.125,
                "sh",
                "-c",
                "echo lone > /tmp/index.html; httpd -f -p " + port + " -h /tmp"));
    group
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .ports(List.of(new ContainerPort().port(port)));
    group
        .getProperties()
        .ipAddress(new IpAddress().type("Public").ports(List.of(new Port().port(port))));
    api.containerGroupsCreateOrUpdate(sub, "rg", "lone", API_VERSION, group);
    Groups.awaitState(api, sub, "rg", "lone", "Running");

    HttpClient http = HttpClient.newHttpClient();
    URI page = URI.create("http://127.0.0.1:" + port + "/index.html");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .equals("lone\n"));
    assertThat(new EngineSocket(ENGINE).containersOf(sub, "lone")).hasSize(1);
    api.containerGroupsDelete(sub, "rg", "lone", API_VERSION);
  }

  @Test
  void aPublishedPortMustBeOneOfTheContainersPorts() throws Exception {
    String sub = Groups.unique("badport");
    ContainerGroup group =
        Groups.group("Always", Groups.container("web", 0.25, 0.125, "sleep", "60"));
    group
        .getProperties()
        .ipAddress(new IpAddress().type("Public").ports(List.of(new Port().port(8080))));
    assertThatThrownBy(
            () -> api.containerGroupsCreateOrUpdate(sub, "rg", "bad", API_VERSION, group))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody())
                  .contains("InvalidIpAddressPorts")
                  .contains("properties.ipAddress.ports[0].port");
            });
  }
}
