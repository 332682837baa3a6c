package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.sdk.api.ContainerGroupsApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The berth CLI as a user runs it: a process (java -jar cli/target/berth.jar). */
class CliE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("..", "cli", "target", "berth.jar");
  private final BerthProcess berth = BerthProcess.get();
  @TempDir Path home;

  record Run(int exitCode, String out, String err) {}

  private Run berth(String... args) throws Exception {
    return berthReading(null, args);
  }

  /** Runs the CLI with {@code input} (when not null) as its stdin, a pipe as a script gives it. */
  private Run berthReading(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.remove("BERTH_URL");
    env.remove("BERTH_KEY");
    env.remove("BERTH_SUBSCRIPTION");
    env.put("BERTH_CLI_CONFIG", home.resolve("cli.json").toString());
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    if (input != null) {
      Path in = home.resolve("in.txt");
      Files.writeString(in, input);
      builder.redirectInput(in.toFile());
    }
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    await("berth " + String.join(" ", args))
        .atMost(Duration.ofSeconds(120))
        .until(() -> !process.isAlive());
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void aUserLogsInCreatesFromYamlReadsLogsAndExecsWithTheExitCodePassedThrough() throws Exception {
    String sub = Groups.unique("cli");
    Run help = berth("container", "create", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--resource-group", "--file", "--restart-policy");

    Run wrongKey = berth("login", "--url", berth.baseUri(), "--key", "not-a-key");
    assertThat(wrongKey.exitCode()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("(InvalidAuthenticationToken)");
    assertThat(home.resolve("cli.json")).doesNotExist();

    Run notLoggedIn = berth("container", "list");
    assertThat(notLoggedIn.exitCode()).isEqualTo(3);
    assertThat(notLoggedIn.err()).contains("not logged in");

    Run login =
        berth("login", "--url", berth.baseUri(), "--key", berth.adminKey(), "--subscription", sub);
    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(Files.getPosixFilePermissions(home.resolve("cli.json")))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

    Path file = home.resolve("group.yaml");
    Files.writeString(
        file,
        """
        apiVersion: 2019-12-01
        location: local
        name: hello
        properties:
          containers:
          - name: main
            properties:
              image: %s
              command: ["sh", "-c", "echo hello from the cli; sleep 3600"]
              resources:
                requests:
                  cpu: 0.1
                  memoryInGb: 0.0625
          osType: Linux
          restartPolicy: Never
        type: Microsoft.ContainerInstance/containerGroups
        """
            .formatted(Groups.IMAGE));
    try {
      Run created = berth("container", "create", "-g", "rg", "--file", file.toString());
      assertThat(created.exitCode()).as(created.err()).isZero();
      JsonNode group = JSON.readTree(created.out());
      assertThat(group.path("name").asText()).isEqualTo("hello");
      assertThat(group.path("properties").path("instanceView").path("state").asText())
          .isEqualTo("Running");
      assertThat(created.err()).contains("hello: Running");

      Run table = berth("container", "list", "-o", "table");
      assertThat(table.exitCode()).isZero();
      assertThat(table.out().lines().toList())
          .first()
          .asString()
          .startsWith("Name")
          .contains("State");
      assertThat(table.out()).contains("hello").contains("Running");

      await("the output to be kept")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  berth("container", "logs", "-g", "rg", "-n", "hello")
                      .out()
                      .contains("hello from the cli"));

      Run exec =
          berth(
              "container", "exec", "-g", "rg", "-n", "hello", "--", "sh", "-c", "echo out; exit 3");
      assertThat(exec.exitCode()).isEqualTo(3);
      assertThat(exec.out()).isEqualTo("out\n");

      // Interactive, over the terminal socket, with what a pipe types into it.
      Run terminal =
          berthReading(
              "echo hello-$((6*7))\nexit\n",
              "container",
              "exec",
              "-g",
              "rg",
              "-n",
              "hello",
              "--exec-command",
              "sh");
      assertThat(terminal.exitCode()).as(terminal.err()).isZero();
      assertThat(terminal.out()).contains("hello-42");
      Run both =
          berth("container", "exec", "-g", "rg", "-n", "hello", "--exec-command", "sh", "--", "ls");
      assertThat(both.exitCode()).isEqualTo(2);
      assertThat(both.err()).contains("one of the two");

      Run hosts = berth("hosts", "list", "-o", "table");
      assertThat(hosts.exitCode()).as(hosts.err()).isZero();
      assertThat(hosts.out()).contains("local").contains("Ready");
      Run usage = berth("usage");
      assertThat(usage.exitCode()).as(usage.err()).isZero();
      assertThat(JSON.readTree(usage.out()).has("totalCost")).isTrue();
      Run invoices = berth("invoice", "-o", "table");
      assertThat(invoices.exitCode()).as(invoices.err()).isZero();
      assertThat(invoices.out()).startsWith("Month");

      Run missing = berth("container", "show", "-g", "rg", "-n", "nope");
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.err()).contains("(ResourceNotFound)");

      Run yaml = berth("container", "show", "-g", "rg", "-n", "hello", "-o", "yaml");
      assertThat(yaml.out()).contains("name: hello").doesNotContain("{\"");

      // From flags: the command line is split as a shell splits it; a secure value is not shown.
      Run flags =
          berth(
              "container",
              "create",
              "-g",
              "rg",
              "-n",
              "flags",
              "--image",
              Groups.IMAGE,
              "--cpu",
              "0.1",
              "--memory",
              "0.0625",
              "--restart-policy",
              "Never",
              "--command-line",
              "sh -c 'echo \"$GREETING and $TOKEN\"; sleep 3600'",
              "-e",
              "GREETING=hi there",
              "--secure-environment-variables",
              "TOKEN=s3cret");
      assertThat(flags.exitCode()).as(flags.err()).isZero();
      assertThat(flags.out()).contains("GREETING").doesNotContain("s3cret");
      await("the flags group's output")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  berth("container", "logs", "-g", "rg", "-n", "flags")
                      .out()
                      .contains("hi there and s3cret"));

      // logs --follow prints each run's lines as they come, across a restart, until the end.
      var groups = new ContainerGroupsApi(berth.adminClient());
      groups.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          "counter",
          Groups.API_VERSION,
          Groups.group("OnFailure", Groups.failsItsFirstRun(0)));
      Run followed = berth("container", "logs", "-g", "rg", "-n", "counter", "--follow");
      assertThat(followed.exitCode()).as(followed.err()).isZero();
      assertThat(followed.out()).isEqualTo("run 1\nrun 2\n");

      // attach: state changes on stderr, output on stdout, exit 1 as the group ends Failed.
      groups.containerGroupsCreateOrUpdate(
          sub,
          "rg",
          "attached",
          Groups.API_VERSION,
          Groups.group(
              "Never",
              Groups.container(
                  "main", 0.1, 0.0625, "sh", "-c", "echo a; sleep 1; echo b >&2; exit 3")));
      Run attached = berth("container", "attach", "-g", "rg", "-n", "attached");
      assertThat(attached.exitCode()).as(attached.err()).isEqualTo(1);
      assertThat(attached.out()).isEqualTo("a\nb\n");
      assertThat(attached.err()).contains("StateChanged Running").contains("StateChanged Failed");

      Run deleted = berth("container", "delete", "-g", "rg", "-n", "hello", "--yes");
      assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    } finally {
      Groups.deleteQuietly(
          new ContainerGroupsApi(berth.adminClient()),
          sub,
          "rg",
          List.of("hello", "flags", "counter", "attached"));
    }
  }
}
