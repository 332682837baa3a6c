package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.AzureFileVolume;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.GitRepoVolume;
import dev.berth.sdk.model.ShareMountOptions;
import dev.berth.sdk.model.Volume;
import dev.berth.sdk.model.VolumeMount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes that outlive containers, on real engines: gitRepo volumes cloned from a git server this
 * test starts, and an azureFile share that a group on one engine writes and a group on the other
 * engine reads after the first is deleted.
 *
 * <p>It starts its own Berth: the shared one has no storage account configured (and must not: a
 * share directory is an operator's decision), and this one's database is scanned for the key.
 */
class PersistentVolumesE2E {

  private static final String ENGINE_A = "unix:///var/run/docker.sock";
  private static final String ACCOUNT = "teamstore";

  /** The storage account's key: it must appear in no response, log line or database column. */
  private static final String KEY = "storage-key-" + UUID.randomUUID();

  private static GitDaemon git;
  private static BerthProcess berth;
  private static Map<String, String> database;
  private static Path shares;
  private static ContainerGroupsApi api;
  private static ContainersApi containers;
  private static HostsApi hosts;

  @BeforeAll
  static void start() throws Exception {
    String engineB = System.getenv("BERTH_TEST_SECOND_DOCKER_HOST");
    assertThat(engineB)
        .as("BERTH_TEST_SECOND_DOCKER_HOST: ./scripts/test starts a second engine and sets it")
        .isNotBlank();
    Path work =
        Path.of(System.getProperty("berth.workdir", "target/e2e"))
            .toAbsolutePath()
            .resolve("persistent-volumes-" + UUID.randomUUID());
    Files.createDirectories(work);
    git = GitDaemon.start(Files.createDirectories(work.resolve("git")));
    // Stands for a file system every host mounts: both engines here see this directory.
    shares = Files.createDirectories(work.resolve("shares"));
    database = SharedPostgres.newDatabase();
    berth =
        BerthProcess.start(
            List.of(
                "--berth.hosts.register[0].id=a",
                "--berth.hosts.register[0].endpoint=" + ENGINE_A,
                "--berth.hosts.register[1].id=b",
                "--berth.hosts.register[1].endpoint=" + engineB,
                "--berth.storage.accounts." + ACCOUNT + ".path=" + shares,
                "--berth.storage.accounts." + ACCOUNT + ".key-sha256=" + sha256(KEY)),
            database);
    api = new ContainerGroupsApi(berth.adminClient());
    containers = new ContainersApi(berth.adminClient());
    hosts = new HostsApi(berth.adminClient());
  }

  @AfterAll
  static void stop() {
    try {
      if (berth != null) {
        berth.stop();
      }
    } finally {
      if (git != null) {
        git.close();
      }
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static ContainerGroup job(String script, List<Volume> volumes, List<VolumeMount> mounts) {
    ContainerGroup group =
        Groups.group("Never", Groups.container("main", 0.25, 0.125, "sh", "-c", script));
    group.getProperties().volumes(volumes);
    group.getProperties().getContainers().get(0).getProperties().volumeMounts(mounts);
    return group;
  }

  private static String logs(String sub, String name) throws ApiException {
    return containers
        .containersListLogs(sub, "rg", name, "main", API_VERSION, null, null, null, null, null)
        .getContent();
  }

  @Test
  void aGitRepoIsClonedBeforeTheContainerReadsIt() throws Exception {
    String sub = Groups.unique("gitrepo");
    ContainerGroup group =
        job(
            "cat /src/hello.txt /pinned/checkout/hello.txt /pinned/checkout/docs/readme.txt;"
                + " test -d /src/.git && echo has-git-dir",
            List.of(
                new Volume().name("src").gitRepo(new GitRepoVolume().repository(git.url())),
                new Volume()
                    .name("pinned")
                    .gitRepo(
                        new GitRepoVolume()
                            .repository(git.url())
                            .directory("checkout")
                            .revision("v1"))),
            List.of(
                new VolumeMount().name("src").mountPath("/src"),
                new VolumeMount().name("pinned").mountPath("/pinned")));
    api.containerGroupsCreateOrUpdate(sub, "rg", "clone", API_VERSION, group);

    Groups.awaitState(api, sub, "rg", "clone", "Succeeded");
    assertThat(logs(sub, "clone")).isEqualTo("hello v2\nhello v1\nnested file\nhas-git-dir\n");
    api.containerGroupsDelete(sub, "rg", "clone", API_VERSION);
  }

  @Test
  void aRepositoryThatIsNotThereOrARevisionItLacksFailsTheGroupNamingIt() throws Exception {
    String sub = Groups.unique("badgit");
    String nowhere = "git://127.0.0.1:1/none.git";
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "badurl",
        API_VERSION,
        job(
            "cat /src/hello.txt",
            List.of(new Volume().name("src").gitRepo(new GitRepoVolume().repository(nowhere))),
            List.of(new VolumeMount().name("src").mountPath("/src"))));
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        "badrev",
        API_VERSION,
        job(
            "cat /src/hello.txt",
            List.of(
                new Volume()
                    .name("src")
                    .gitRepo(new GitRepoVolume().repository(git.url()).revision("no-such-rev"))),
            List.of(new VolumeMount().name("src").mountPath("/src"))));

    ContainerGroup badUrl = Groups.awaitState(api, sub, "rg", "badurl", "Failed");
    ContainerGroup badRevision = Groups.awaitState(api, sub, "rg", "badrev", "Failed");

    assertThat(badUrl.getProperties().getProvisioningState()).isEqualTo("Failed");
    assertThat(Hosts.events(badUrl))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("Failed: ")
                    .contains("gitRepo volume 'src': cannot clone " + nowhere));
    assertThat(Hosts.events(badRevision))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("Failed: ")
                    .contains("revision 'no-such-rev' is not in " + git.url()));
    // No container ran on a volume without its contents.
    for (String engine : List.of(ENGINE_A, System.getenv("BERTH_TEST_SECOND_DOCKER_HOST"))) {
      assertThat(new EngineSocket(engine).containersLabelled("dev.berth.subscription", sub))
          .isEmpty();
    }
    api.containerGroupsDelete(sub, "rg", "badurl", API_VERSION);
    api.containerGroupsDelete(sub, "rg", "badrev", API_VERSION);
  }

  private static Volume share(String key, boolean readOnly) {
    return new Volume()
        .name("state")
        .azureFile(
            new AzureFileVolume()
                .shareName("orders-db")
                .storageAccountName(ACCOUNT)
                .storageAccountKey(key)
                .readOnly(readOnly)
                .mountOptions(new ShareMountOptions().uid(1000).gid(1001).mode("0770")));
  }

  @Test
  void aShareWrittenOnOneEngineIsReadOnTheOtherAfterItsGroupIsDeleted() throws Exception {
    String sub = Groups.unique("share");
    Hosts.pinnedTo(
        hosts,
        "a",
        () ->
            api.containerGroupsCreateOrUpdate(
                sub,
                "rg",
                "writer",
                API_VERSION,
                job(
                    "echo order-42 > /state/orders.txt && stat -c '%u:%g %a' /state",
                    List.of(share(KEY, false)),
                    List.of(new VolumeMount().name("state").mountPath("/state")))));
    ContainerGroup writer = Groups.awaitState(api, sub, "rg", "writer", "Succeeded");
    assertThat(writer.getProperties().getHostName()).isEqualTo("a");
    // The group's mount options, as the container sees its mount.
    assertThat(logs(sub, "writer")).isEqualTo("1000:1001 770\n");
    assertThat(writer.getProperties().getVolumes().get(0).getAzureFile().getStorageAccountKey())
        .isNull();
    api.containerGroupsDelete(sub, "rg", "writer", API_VERSION);
    assertThat(new EngineSocket(ENGINE_A).volumesOf(sub, "writer")).isNullOrEmpty();
    // The data outlives the group and its engine volume.
    assertThat(shares.resolve("orders-db").resolve("orders.txt")).hasContent("order-42");

    Hosts.pinnedTo(
        hosts,
        "b",
        () ->
            api.containerGroupsCreateOrUpdate(
                sub,
                "rg",
                "reader",
                API_VERSION,
                job(
                    "cat /state/orders.txt; touch /state/new 2>/dev/null && echo writable"
                        + " || echo read-only",
                    List.of(share(KEY, true)),
                    List.of(new VolumeMount().name("state").mountPath("/state")))));
    ContainerGroup reader = Groups.awaitState(api, sub, "rg", "reader", "Succeeded");
    assertThat(reader.getProperties().getHostName()).isEqualTo("b");
    assertThat(logs(sub, "reader")).isEqualTo("order-42\nread-only\n");

    assertKeyNowhere(sub, List.of("reader"));
    api.containerGroupsDelete(sub, "rg", "reader", API_VERSION);
  }

  /** The key is in no response (GET, list), no log line and no database column in plain text. */
  private static void assertKeyNowhere(String sub, List<String> names) throws Exception {
    List<String> paths = new ArrayList<>();
    String groups =
        "/subscriptions/"
            + sub
            + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups";
    paths.add(groups + "?api-version=" + API_VERSION);
    for (String name : names) {
      paths.add(groups + "/" + name + "?api-version=" + API_VERSION);
    }
    for (String path : paths) {
      HttpResponse<String> raw =
          berth
              .adminClient()
              .getHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(berth.baseUri() + path))
                      .header("Authorization", "Bearer " + berth.adminKey())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(raw.body()).contains(ACCOUNT).doesNotContain(KEY);
    }
    assertThat(Files.readString(berth.log())).doesNotContain(KEY);
    try (Connection c =
        DriverManager.getConnection(
            database.get("SPRING_DATASOURCE_URL"),
            database.get("SPRING_DATASOURCE_USERNAME"),
            database.get("SPRING_DATASOURCE_PASSWORD"))) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT table_name FROM information_schema.tables"
                      + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("container_groups");
      for (String table : tables) {
        try (PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM \"" + table + "\" t WHERE t::text LIKE ?")) {
          s.setString(1, "%" + KEY + "%");
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows of %s holding the key", table).isZero();
          }
        }
      }
    }
  }

  @Test
  void anUnknownAccountAWrongKeyOrABadShareNameIsRefusedNamingTheField() throws Exception {
    String sub = Groups.unique("badshare");
    record Case(String name, AzureFileVolume volume, String code, String target) {}
    List<Case> cases =
        List.of(
            new Case(
                "unknown",
                new AzureFileVolume()
                    .shareName("data")
                    .storageAccountName("nosuchaccount")
                    .storageAccountKey(KEY),
                "StorageAccountNotFound",
                "properties.volumes[0].azureFile.storageAccountName"),
            new Case(
                "wrongkey",
                new AzureFileVolume()
                    .shareName("data")
                    .storageAccountName(ACCOUNT)
                    .storageAccountKey("not-the-key"),
                "InvalidStorageAccountKey",
                "properties.volumes[0].azureFile.storageAccountKey"),
            new Case(
                "badname",
                new AzureFileVolume()
                    .shareName("../etc")
                    .storageAccountName(ACCOUNT)
                    .storageAccountKey(KEY),
                "InvalidShareName",
                "properties.volumes[0].azureFile.shareName"),
            new Case(
                "badmode",
                new AzureFileVolume()
                    .shareName("data")
                    .storageAccountName(ACCOUNT)
                    .storageAccountKey(KEY)
                    .mountOptions(new ShareMountOptions().mode("rwx")),
                "InvalidMountOptions",
                "properties.volumes[0].azureFile.mountOptions.mode"));
    for (Case c : cases) {
      ContainerGroup group =
          job(
              "true",
              List.of(new Volume().name("state").azureFile(c.volume())),
              List.of(new VolumeMount().name("state").mountPath("/state")));
      assertThatThrownBy(
              () -> api.containerGroupsCreateOrUpdate(sub, "rg", c.name(), API_VERSION, group))
          .as(c.name())
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody())
                    .contains("\"code\":\"" + c.code() + "\"")
                    .contains("\"target\":\"" + c.target() + "\"")
                    .doesNotContain(KEY)
                    .doesNotContain("not-the-key");
              });
      // Nothing was created: no group, no share directory.
      assertThatThrownBy(() -> api.containerGroupsGet(sub, "rg", c.name(), API_VERSION))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
    assertThat(shares.resolve("data")).doesNotExist();
  }
}
