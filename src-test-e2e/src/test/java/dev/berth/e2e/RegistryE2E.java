package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiClient;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerState;
import dev.berth.sdk.model.Event;
import dev.berth.sdk.model.ImageRegistryCredential;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pulls from a real registry (scripts/lib/registry.sh: TLS, htpasswd basic auth, on 127.0.0.1)
 * through the SDK: a private image runs with its credential; a wrong password, an unknown tag and a
 * registry that is down each say so with their own code; a large image shows its bytes while it is
 * pulled; and the password is in no response, no log line and no database column. Berth runs on a
 * database of its own here so that the test can read every column. Without the registry this test
 * fails: it is part of what CI proves.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RegistryE2E {

  private static final String PASSWORD_ENV = "BERTH_TEST_REGISTRY_PASSWORD";

  private static BerthProcess berth;
  private static Map<String, String> database;
  private static String registry;
  private static String user;
  private static String password;
  private static ContainerGroupsApi api;
  private static ApiClient client;
  private static final String SUB = Groups.unique("reg");
  private static final List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() {
    registry = System.getenv("BERTH_TEST_REGISTRY");
    user = System.getenv("BERTH_TEST_REGISTRY_USER");
    password = System.getenv(PASSWORD_ENV);
    assertThat(registry)
        .as("BERTH_TEST_REGISTRY (host:port of the registry scripts/lib/registry.sh starts)")
        .isNotBlank();
    assertThat(password).as(PASSWORD_ENV).isNotBlank();
    // Every pull here must reach the registry: nothing of it may be on the engine from a run
    // before.
    removePulledImages();
    database = SharedPostgres.newDatabase();
    berth = BerthProcess.start(List.of(), new HashMap<>(database));
    client = berth.adminClient();
    api = new ContainerGroupsApi(client);
  }

  @AfterAll
  static void stop() {
    Groups.deleteQuietly(api, SUB, "rg1", created);
    // Berth removes the containers before the groups are gone; then it may stop.
    await("the test's groups to be deleted")
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                api.containerGroupsListByResourceGroup(SUB, "rg1", API_VERSION, null)
                    .getValue()
                    .isEmpty());
    if (berth != null) {
      berth.stop();
    }
    removePulledImages();
  }

  /** What was pulled from the test's registry onto the shared engine (names carry its port). */
  private static void removePulledImages() {
    var docker = org.testcontainers.DockerClientFactory.instance().client();
    for (var image : docker.listImagesCmd().exec()) {
      for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
        if (registry != null && tag.startsWith(registry + "/")) {
          try {
            docker.removeImageCmd(tag).exec();
          } catch (RuntimeException stillUsed) {
            // A container the deleted groups left is gone with Berth's orphan collection.
          }
        }
      }
    }
  }

  private static ContainerGroup privateGroup(
      String restartPolicy, String image, String secret, String... command) {
    ContainerGroup body =
        Groups.group(restartPolicy, Groups.container("main", 0.1, 0.0625, command));
    body.getProperties().getContainers().get(0).getProperties().image(image);
    body.getProperties()
        .addImageRegistryCredentialsItem(
            new ImageRegistryCredential().server(registry).username(user).password(secret));
    return body;
  }

  private static String create(String prefix, ContainerGroup body) throws Exception {
    String name = Groups.unique(prefix);
    created.add(name);
    api.containerGroupsCreateOrUpdate(SUB, "rg1", name, API_VERSION, body);
    return name;
  }

  private static Container main(String name) throws Exception {
    return api.containerGroupsGet(SUB, "rg1", name, API_VERSION)
        .getProperties()
        .getContainers()
        .get(0);
  }

  private static List<String> eventNames(Container c) {
    return c.getProperties().getInstanceView() == null
        ? List.of()
        : c.getProperties().getInstanceView().getEvents().stream().map(Event::getName).toList();
  }

  /**
   * First: the image is pulled once per host, so a later group of the same image finds it there
   * (the password test's group does).
   */
  @Test
  @org.junit.jupiter.api.Order(1)
  void aPrivateImageRunsWithItsCredential() throws Exception {
    String name =
        create(
            "private",
            privateGroup("Always", registry + "/berth-test/busybox:1", password, "sleep", "3600"));

    ContainerGroup running = Groups.awaitState(api, SUB, "rg1", name, "Running");

    Container c = running.getProperties().getContainers().get(0);
    assertThat(eventNames(c)).containsSubsequence("Pulling", "Pulled", "Created", "Started");
    Event pulled =
        c.getProperties().getInstanceView().getEvents().stream()
            .filter(e -> e.getName().equals("Pulled"))
            .findFirst()
            .orElseThrow();
    assertThat(pulled.getMessage())
        .startsWith("Successfully pulled image \"" + registry + "/berth-test/busybox:1\" in ");
    // GET returns the server and the username, never the password.
    ImageRegistryCredential shown = running.getProperties().getImageRegistryCredentials().get(0);
    assertThat(shown.getServer()).isEqualTo(registry);
    assertThat(shown.getUsername()).isEqualTo(user);
    assertThat(shown.getPassword()).isNull();
  }

  @Test
  void aWrongPasswordSaysTheRegistryRefusedTheCredential() throws Exception {
    String name =
        create(
            "wrongpw",
            // A tag no test pulls with the right password: an image on the host is not pulled.
            privateGroup("Never", registry + "/berth-test/busybox:2", "not-the-password", "true"));

    ContainerGroup failed = Groups.awaitState(api, SUB, "rg1", name, "Failed");

    assertFailedWith(failed, "ImagePullUnauthorized");
  }

  @Test
  void anUnknownTagSaysItWasNotFound() throws Exception {
    String name =
        create(
            "notag",
            privateGroup("Never", registry + "/berth-test/busybox:no-such-tag", password, "true"));

    assertFailedWith(Groups.awaitState(api, SUB, "rg1", name, "Failed"), "ImageNotFound");
  }

  @Test
  void aRegistryThatIsDownSaysItIsUnreachable() throws Exception {
    ContainerGroup body =
        privateGroup("Never", "127.0.0.1:1/berth-test/busybox:1", password, "true");
    body.getProperties().getImageRegistryCredentials().get(0).server("127.0.0.1:1");
    String name = create("down", body);

    assertFailedWith(Groups.awaitState(api, SUB, "rg1", name, "Failed"), "RegistryUnreachable");
  }

  @Test
  void anAlwaysGroupBacksOffAfterAFailedPull() throws Exception {
    String name =
        create(
            "backoff",
            privateGroup("Always", registry + "/berth-test/busybox:no-such-tag", password, "true"));

    await("a back-off after the failed pull")
        .pollInterval(Duration.ofMillis(200))
        .until(() -> eventNames(main(name)).contains("BackOff"));
    Container c = main(name);
    assertThat(eventNames(c)).containsSubsequence("Pulling", "Failed", "BackOff");
    assertThat(c.getProperties().getInstanceView().getCurrentState().getDetailStatus())
        .startsWith("ImageNotFound: ");
    ContainerGroup group = api.containerGroupsGet(SUB, "rg1", name, API_VERSION);
    assertThat(group.getProperties().getInstanceView().getState()).isEqualTo("Pending");
  }

  private static void assertFailedWith(ContainerGroup failed, String code) {
    Container c = failed.getProperties().getContainers().get(0);
    ContainerState state = c.getProperties().getInstanceView().getCurrentState();
    assertThat(state.getDetailStatus()).startsWith(code + ": ");
    Event failure =
        c.getProperties().getInstanceView().getEvents().stream()
            .filter(e -> e.getName().equals("Failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failure.getType()).isEqualTo("Warning");
    assertThat(failure.getMessage()).startsWith(code + ": ");
    assertThat(failed.getProperties().getInstanceView().getEvents())
        .anySatisfy(e -> assertThat(e.getMessage()).contains(code));
  }

  @Test
  void aLargePullShowsItsBytesWhileItRuns() throws Exception {
    String image = registry + "/berth-test/large:1";
    String name = create("large", privateGroup("Always", image, password, "sleep", "3600"));

    Set<String> seenWhilePulling = ConcurrentHashMap.newKeySet();
    await("the group to run, watching its pull")
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Container c = main(name);
              var view = c.getProperties().getInstanceView();
              if (view != null && "Waiting".equals(view.getCurrentState().getState())) {
                String detail = view.getCurrentState().getDetailStatus();
                if (detail != null && detail.contains(" MB of ")) {
                  seenWhilePulling.add(detail);
                  view.getEvents().stream()
                      .filter(e -> e.getName().equals("Pulling"))
                      .forEach(e -> seenWhilePulling.add("event: " + e.getMessage()));
                }
              }
              return view != null && "Running".equals(view.getCurrentState().getState());
            });

    assertThat(seenWhilePulling)
        .as("detailStatus and the Pulling event showed bytes done of total during the pull")
        .anySatisfy(d -> assertThat(d).startsWith("Pulling image \"" + image + "\": "))
        .anySatisfy(d -> assertThat(d).startsWith("event: Pulling image \"" + image + "\": "));
    Container c = main(name);
    List<Event> events = c.getProperties().getInstanceView().getEvents();
    assertThat(events.stream().filter(e -> e.getName().equals("Pulling"))).hasSize(1);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("Pulled");
              assertThat(e.getMessage())
                  .matches("Successfully pulled image .* in [0-9.]+ s \\(1[0-9]{2}\\.[0-9] MB\\)");
            });
  }

  /** Last in effect: reads what every other test left behind, and waits for one more group. */
  @Test
  void thePasswordIsInNoResponseNoLogLineAndNoColumn() throws Exception {
    String name =
        create(
            "secret",
            privateGroup("Always", registry + "/berth-test/busybox:1", password, "sleep", "3600"));
    Groups.awaitState(api, SUB, "rg1", name, "Running");

    for (String path :
        List.of(
            "/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups/" + name,
            "/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups",
            "/providers/Microsoft.ContainerInstance/containerGroups")) {
      HttpResponse<String> response =
          client
              .getHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              berth.baseUri()
                                  + "/subscriptions/"
                                  + SUB
                                  + path
                                  + "?api-version="
                                  + API_VERSION))
                      .header("Authorization", "Bearer " + berth.adminKey())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains(user).doesNotContain(password);
    }

    assertThat(Files.readString(berth.log())).contains(registry).doesNotContain(password);

    List<String> columnsWithIt = new ArrayList<>();
    int rows = 0;
    try (Connection db =
            DriverManager.getConnection(
                database.get("SPRING_DATASOURCE_URL"),
                database.get("SPRING_DATASOURCE_USERNAME"),
                database.get("SPRING_DATASOURCE_PASSWORD"));
        Statement tables = db.createStatement();
        ResultSet names =
            tables.executeQuery(
                "select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE'")) {
      List<String> all = new ArrayList<>();
      while (names.next()) {
        all.add(names.getString(1));
      }
      for (String table : all) {
        try (Statement s = db.createStatement();
            ResultSet r = s.executeQuery("select t::text from \"" + table + "\" t")) {
          while (r.next()) {
            rows++;
            if (r.getString(1).contains(password)) {
              columnsWithIt.add(table);
            }
          }
        }
      }
    }
    assertThat(rows).isPositive();
    assertThat(columnsWithIt).as("tables with a row holding the password in plain text").isEmpty();
  }
}
