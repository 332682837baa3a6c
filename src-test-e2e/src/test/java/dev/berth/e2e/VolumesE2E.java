package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.InitContainerDefinition;
import dev.berth.sdk.model.InitContainerProperties;
import dev.berth.sdk.model.Volume;
import dev.berth.sdk.model.VolumeMount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** emptyDir shared between containers and secret volumes, on the real engine. */
class VolumesE2E {

  private static final String ENGINE = "unix:///var/run/docker.sock";
  private static final String CANARY = "canary-volume-secret-7f3a";

  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainersApi containers = new ContainersApi(berth.adminClient());

  private String exec(String sub, String container, String... argv) throws Exception {
    var result =
        containers.containersExecuteCommand(
            sub,
            "rg",
            "vols",
            container,
            API_VERSION,
            new ContainerExecRequest().argv(List.of(argv)));
    return result.getExitCode() + ":" + result.getStdout();
  }

  @Test
  void anEmptyDirIsSharedAndSecretFilesAreReadOnlyAndNeverReturned() throws Exception {
    String sub = Groups.unique("vols");
    ContainerGroup group =
        Groups.group(
            "Always",
            Groups.container(
                "writer", 0.25, 0.125, "sh", "-c", "echo shared-data > /data/file; sleep 3600"),
            Groups.container("reader", 0.25, 0.125, "sleep", "3600"));
    group
        .getProperties()
        .volumes(
            List.of(
                new Volume().name("shared").emptyDir(Map.of()),
                new Volume()
                    .name("creds")
                    .secret(
                        Map.of(
                            "token",
                            Base64.getEncoder()
                                .encodeToString(CANARY.getBytes(StandardCharsets.UTF_8))))));
    group
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .volumeMounts(List.of(new VolumeMount().name("shared").mountPath("/data")));
    group
        .getProperties()
        .getContainers()
        .get(1)
        .getProperties()
        .volumeMounts(
            List.of(
                new VolumeMount().name("shared").mountPath("/data").readOnly(true),
                new VolumeMount().name("creds").mountPath("/etc/creds")));

    api.containerGroupsCreateOrUpdate(sub, "rg", "vols", API_VERSION, group);
    Groups.awaitState(api, sub, "rg", "vols", "Running");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> exec(sub, "reader", "cat", "/data/file").equals("0:shared-data\n"));
    assertThat(exec(sub, "reader", "cat", "/etc/creds/token")).isEqualTo("0:" + CANARY);
    assertThat(exec(sub, "reader", "sh", "-c", "echo x > /data/other")).doesNotStartWith("0:");
    assertThat(exec(sub, "reader", "sh", "-c", "echo x > /etc/creds/other")).doesNotStartWith("0:");

    // The secret is write-only: not in GET (not even as base64), not in the log.
    HttpResponse<String> raw =
        berth
            .adminClient()
            .getHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            berth.baseUri()
                                + "/subscriptions/"
                                + sub
                                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/vols?api-version="
                                + API_VERSION))
                    .header("Authorization", "Bearer " + berth.adminKey())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(raw.body())
        .contains("\"creds\"")
        .doesNotContain(CANARY)
        .doesNotContain(
            Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(berth.log())).doesNotContain(CANARY);
    assertThat(new EngineSocket(ENGINE).volumesOf(sub, "vols")).hasSize(2);

    api.containerGroupsDelete(sub, "rg", "vols", API_VERSION);
    assertThat(new EngineSocket(ENGINE).volumesOf(sub, "vols")).isNullOrEmpty();
  }

  @Test
  void initContainersRunInOrderBeforeTheContainerAndShareItsVolumes() throws Exception {
    String sub = Groups.unique("init");
    ContainerGroup group =
        Groups.group(
            "Always",
            Groups.container("main", 0.25, 0.125, "sh", "-c", "cat /work/steps; sleep 3600"));
    group.getProperties().volumes(List.of(new Volume().name("work").emptyDir(Map.of())));
    group
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .volumeMounts(List.of(new VolumeMount().name("work").mountPath("/work")));
    group
        .getProperties()
        .initContainers(
            List.of(
                new InitContainerDefinition()
                    .name("first")
                    .properties(
                        new InitContainerProperties()
                            .image(Groups.IMAGE)
                            .command(List.of("sh", "-c", "echo first > /work/steps"))
                            .volumeMounts(
                                List.of(new VolumeMount().name("work").mountPath("/work")))),
                new InitContainerDefinition()
                    .name("second")
                    .properties(
                        new InitContainerProperties()
                            .image(Groups.IMAGE)
                            .command(List.of("sh", "-c", "sleep 1; echo second >> /work/steps"))
                            .volumeMounts(
                                List.of(new VolumeMount().name("work").mountPath("/work"))))));

    api.containerGroupsCreateOrUpdate(sub, "rg", "vols", API_VERSION, group);
    ContainerGroup running = Groups.awaitState(api, sub, "rg", "vols", "Running");

    assertThat(running.getProperties().getInitContainers())
        .allSatisfy(
            init -> {
              assertThat(init.getProperties().getInstanceView().getCurrentState().getState())
                  .isEqualTo("Terminated");
              assertThat(init.getProperties().getInstanceView().getCurrentState().getExitCode())
                  .isZero();
            });
    var first =
        running
            .getProperties()
            .getInitContainers()
            .get(0)
            .getProperties()
            .getInstanceView()
            .getCurrentState();
    var second =
        running
            .getProperties()
            .getInitContainers()
            .get(1)
            .getProperties()
            .getInstanceView()
            .getCurrentState();
    assertThat(second.getStartTime()).isAfterOrEqualTo(first.getFinishTime());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "first\nsecond\n"
                    .equals(
                        containers
                            .containersListLogs(
                                sub,
                                "rg",
                                "vols",
                                "main",
                                API_VERSION,
                                null,
                                null,
                                null,
                                null,
                                null)
                            .getContent()));
    api.containerGroupsDelete(sub, "rg", "vols", API_VERSION);
  }

  @Test
  void sharesOfAccountsNotOfferedAndMountsOfNoVolumeAreRefused() throws Exception {
    String sub = Groups.unique("badvols");
    ContainerGroup azure =
        Groups.group("Always", Groups.container("main", 0.25, 0.125, "sleep", "60"));
    azure
        .getProperties()
        .volumes(
            List.of(
                new Volume()
                    .name("share")
                    .azureFile(
                        new dev.berth.sdk.model.AzureFileVolume()
                            .shareName("data")
                            .storageAccountName("nosuchaccount")
                            .storageAccountKey("k"))));
    assertThatThrownBy(
            () -> api.containerGroupsCreateOrUpdate(sub, "rg", "azure", API_VERSION, azure))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              // The shared Berth offers no storage account.
              assertThat(e.getResponseBody())
                  .contains("StorageAccountNotFound")
                  .contains("properties.volumes[0].azureFile.storageAccountName");
            });

    ContainerGroup dangling =
        Groups.group("Always", Groups.container("main", 0.25, 0.125, "sleep", "60"));
    dangling
        .getProperties()
        .getContainers()
        .get(0)
        .getProperties()
        .volumeMounts(List.of(new VolumeMount().name("nowhere").mountPath("/x")));
    assertThatThrownBy(
            () -> api.containerGroupsCreateOrUpdate(sub, "rg", "dangling", API_VERSION, dangling))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody())
                  .contains("InvalidVolumeMount")
                  .contains("properties.containers[0].properties.volumeMounts[0].name");
            });
  }
}
