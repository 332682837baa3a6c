package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerExecRequestTerminalSize;
import dev.berth.sdk.model.ContainerExecResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Logs that outlive runs and containers, and exec with an argv, on the real engine. */
class LogsAndExecE2E {

  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainerGroupActionsApi actions =
      new ContainerGroupActionsApi(berth.adminClient());
  private final ContainersApi containers = new ContainersApi(berth.adminClient());

  private void create(String sub, String name, String policy, String... command) throws Exception {
    api.containerGroupsCreateOrUpdate(
        sub,
        "rg",
        name,
        API_VERSION,
        Groups.group(policy, Groups.container("main", 0.25, 0.125, command)));
  }

  @Test
  void logsOfAFinishedRunWithTailAndTimestamps() throws Exception {
    String sub = Groups.unique("logs");
    create(sub, "job", "Never", "sh", "-c", "echo line1; echo line2; echo oops >&2; echo line3");
    actions.containerGroupsWait(sub, "rg", "job", API_VERSION, "Succeeded", 60);

    String all =
        containers
            .containersListLogs(sub, "rg", "job", "main", API_VERSION, null, null, null, null, null)
            .getContent();
    assertThat(all.lines()).containsExactlyInAnyOrder("line1", "line2", "oops", "line3");
    assertThat(all.lines().filter(l -> l.startsWith("line")))
        .containsExactly("line1", "line2", "line3");

    assertThat(
            containers
                .containersListLogs(
                    sub, "rg", "job", "main", API_VERSION, 1, null, null, null, null)
                .getContent()
                .lines())
        .hasSize(1);
    String stamped =
        containers
            .containersListLogs(sub, "rg", "job", "main", API_VERSION, null, true, null, null, null)
            .getContent();
    assertThat(stamped.lines())
        .allMatch(l -> l.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z .+"));

    assertThatThrownBy(
            () ->
                containers.containersListLogs(
                    sub, "rg", "job", "nope", API_VERSION, null, null, null, null, null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getResponseBody()).contains("ContainerNotFound");
            });
    api.containerGroupsDelete(sub, "rg", "job", API_VERSION);
  }

  @Test
  void eachRestartHasItsOwnLogAndThePreviousRunStaysReadable() throws Exception {
    String sub = Groups.unique("runs");
    // The container's filesystem survives in-place restarts, so each run can number itself.
    create(
        sub,
        "counter",
        "Always",
        "sh",
        "-c",
        "n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n; echo run $n; exit 1");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.containerGroupsGet(sub, "rg", "counter", API_VERSION)
                        .getProperties()
                        .getContainers()
                        .get(0)
                        .getProperties()
                        .getInstanceView()
                        .getRestartCount()
                    >= 2);

    int latest =
        run(
            containers
                .containersListLogs(
                    sub, "rg", "counter", "main", API_VERSION, null, null, null, null, null)
                .getContent());
    int previous =
        run(
            containers
                .containersListLogs(
                    sub, "rg", "counter", "main", API_VERSION, null, null, true, null, null)
                .getContent());
    assertThat(latest).isGreaterThanOrEqualTo(2);
    assertThat(previous).isEqualTo(latest - 1);
    api.containerGroupsDelete(sub, "rg", "counter", API_VERSION);
  }

  /** ACI's exec: a WebSocket address and a password, sent as the first message; then a terminal. */
  private void interactiveShellOverWebSocket(String sub) throws Exception {
    ContainerExecResponse ticket =
        containers.containersExecuteCommand(
            sub,
            "rg",
            "box",
            "main",
            API_VERSION,
            new ContainerExecRequest()
                .command("/bin/sh")
                .terminalSize(new ContainerExecRequestTerminalSize().rows(30).cols(100)));
    assertThat(ticket.getWebSocketUri()).startsWith("ws://127.0.0.1:");
    assertThat(ticket.getPassword()).isNotBlank();

    StringBuffer screen = new StringBuffer();
    java.util.concurrent.CompletableFuture<Integer> closed =
        new java.util.concurrent.CompletableFuture<>();
    java.net.http.WebSocket.Listener listener =
        new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(
              java.net.http.WebSocket ws, CharSequence data, boolean last) {
            screen.append(data);
            ws.request(1);
            return null;
          }

          @Override
          public java.util.concurrent.CompletionStage<?> onClose(
              java.net.http.WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
          }
        };
    java.net.http.WebSocket ws =
        java.net.http.HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(java.net.URI.create(ticket.getWebSocketUri()), listener)
            .join();
    ws.sendText(ticket.getPassword(), true).join();
    ws.sendText("echo answer-$((6*7))\n", true).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> screen.toString().contains("answer-42"));
    ws.sendText("exit\n", true).join();
    // The session ends with the shell, with a normal close.
    assertThat(closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);

    // A ticket opens one session; a wrong password none.
    assertThat(refusedStatus(ticket.getWebSocketUri(), ticket.getPassword())).isEqualTo(1008);
    ContainerExecResponse another =
        containers.containersExecuteCommand(
            sub, "rg", "box", "main", API_VERSION, new ContainerExecRequest().command("/bin/sh"));
    assertThat(refusedStatus(another.getWebSocketUri(), "not-the-password")).isEqualTo(1008);
  }

  private static int refusedStatus(String uri, String password) throws Exception {
    java.util.concurrent.CompletableFuture<Integer> closed =
        new java.util.concurrent.CompletableFuture<>();
    java.net.http.WebSocket ws =
        java.net.http.HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                java.net.URI.create(uri),
                new java.net.http.WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onClose(
                      java.net.http.WebSocket w, int status, String reason) {
                    closed.complete(status);
                    return null;
                  }
                })
            .join();
    ws.sendText(password, true).join();
    return closed.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static int run(String content) {
    Matcher m = Pattern.compile("^run (\\d+)$", Pattern.MULTILINE).matcher(content);
    assertThat(m.find()).as(content).isTrue();
    int n = Integer.parseInt(m.group(1));
    assertThat(m.find()).as("one run per log: " + content).isFalse();
    return n;
  }

  @Test
  void logsStayReadableAfterStop() throws Exception {
    String sub = Groups.unique("stopped");
    create(sub, "web", "Always", "sh", "-c", "echo serving; sleep 3600");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                containers
                    .containersListLogs(
                        sub, "rg", "web", "main", API_VERSION, null, null, null, null, null)
                    .getContent()
                    .contains("serving"));

    actions.containerGroupsStop(sub, "rg", "web", API_VERSION);

    assertThat(
            containers
                .containersListLogs(
                    sub, "rg", "web", "main", API_VERSION, null, null, null, null, null)
                .getContent())
        .isEqualTo("serving\n");
    api.containerGroupsDelete(sub, "rg", "web", API_VERSION);
  }

  @Test
  void execRunsAnArgvAndReturnsExitCodeAndOutput() throws Exception {
    String sub = Groups.unique("exec");
    create(sub, "box", "Always", "sleep", "3600");
    Groups.awaitState(api, sub, "rg", "box", "Running");

    ContainerExecResponse result =
        containers.containersExecuteCommand(
            sub,
            "rg",
            "box",
            "main",
            API_VERSION,
            new ContainerExecRequest().argv(List.of("sh", "-c", "echo out; echo err >&2; exit 7")));
    assertThat(result.getExitCode()).isEqualTo(7);
    assertThat(result.getStdout()).isEqualTo("out\n");
    assertThat(result.getStderr()).isEqualTo("err\n");

    // No shell in between: the argument reaches the program as it is.
    ContainerExecResponse literal =
        containers.containersExecuteCommand(
            sub,
            "rg",
            "box",
            "main",
            API_VERSION,
            new ContainerExecRequest().argv(List.of("echo", "$HOME; rm -rf /")));
    assertThat(literal.getStdout()).isEqualTo("$HOME; rm -rf /\n");
    assertThat(literal.getExitCode()).isZero();

    interactiveShellOverWebSocket(sub);

    actions.containerGroupsStop(sub, "rg", "box", API_VERSION);
    assertThatThrownBy(
            () ->
                containers.containersExecuteCommand(
                    sub,
                    "rg",
                    "box",
                    "main",
                    API_VERSION,
                    new ContainerExecRequest().argv(List.of("true"))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("ContainerNotRunning");
            });
    api.containerGroupsDelete(sub, "rg", "box", API_VERSION);
  }
}
