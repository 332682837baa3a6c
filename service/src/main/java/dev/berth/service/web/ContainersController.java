package dev.berth.service.web;

import dev.berth.api.server.ContainersApi;
import dev.berth.api.server.model.ContainerExecRequest;
import dev.berth.api.server.model.ContainerExecResponse;
import dev.berth.api.server.model.Logs;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.LogLine;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.workload.OpeningTerminal;
import dev.berth.service.workload.ReadingContainerLogs;
import dev.berth.service.workload.RunningCommand;
import java.time.Duration;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** A container's logs and commands run in it. */
@RestController
public class ContainersController implements ContainersApi {

  private static final int MAX_EXEC_SECONDS = 300;

  private final ReadingContainerLogs logs;
  private final RunningCommand commands;
  private final OpeningTerminal terminals;
  private final GroupAccess access;

  public ContainersController(
      ReadingContainerLogs logs,
      RunningCommand commands,
      OpeningTerminal terminals,
      GroupValidator validator) {
    this.logs = logs;
    this.commands = commands;
    this.terminals = terminals;
    this.access = new GroupAccess(validator);
  }

  @Override
  public ResponseEntity<Logs> containersListLogs(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String containerName,
      String apiVersion,
      Integer tail,
      Boolean timestamps,
      Boolean previous,
      Boolean follow,
      String lastEventId) {
    // follow=true is ContainerLogFollowController's (a mapping with that parameter).
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    if (tail != null && tail < 0) {
      throw new InvalidRequestException(
          new Violation("InvalidParameter", "tail must be 0 or more.", "tail"));
    }
    var output =
        logs.read(key, containerName, Boolean.TRUE.equals(previous))
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    List<LogLine> lines = output.lines();
    if (tail != null && lines.size() > tail) {
      lines = lines.subList(lines.size() - tail, lines.size());
    }
    StringBuilder content = new StringBuilder();
    for (LogLine line : lines) {
      if (Boolean.TRUE.equals(timestamps)) {
        content.append(line.time()).append(' ');
      }
      content.append(line.text()).append('\n');
    }
    return ResponseEntity.ok(
        new Logs().content(content.toString()).truncated(output.truncated() ? true : null));
  }

  @Override
  public ResponseEntity<ContainerExecResponse> containersExecuteCommand(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String containerName,
      String apiVersion,
      ContainerExecRequest request) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    if (request != null
        && (request.getArgv() == null || request.getArgv().isEmpty())
        && request.getCommand() != null
        && !request.getCommand().isBlank()) {
      int rows =
          request.getTerminalSize() == null || request.getTerminalSize().getRows() == null
              ? 24
              : request.getTerminalSize().getRows();
      int columns =
          request.getTerminalSize() == null || request.getTerminalSize().getCols() == null
              ? 80
              : request.getTerminalSize().getCols();
      var ticket =
          terminals
              .open(key, containerName, request.getCommand(), rows, columns)
              .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
      String uri =
          ServletUriComponentsBuilder.fromCurrentContextPath()
              .path(TerminalWebSocket.PATH + ticket.token())
              .toUriString()
              .replaceFirst("^http", "ws");
      return ResponseEntity.ok(
          new ContainerExecResponse().webSocketUri(uri).password(ticket.password()));
    }
    if (request == null || request.getArgv() == null || request.getArgv().isEmpty()) {
      throw new InvalidRequestException(
          new Violation(
              "UnsupportedFeature",
              "Interactive exec (command over a WebSocket) is not supported by this Berth version; "
                  + "send argv (the program and its arguments) to run a command and get its exit code and output.",
              "argv"));
    }
    int seconds = request.getTimeoutSeconds() == null ? 60 : request.getTimeoutSeconds();
    if (seconds < 1 || seconds > MAX_EXEC_SECONDS) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidParameter",
              "timeoutSeconds must be between 1 and " + MAX_EXEC_SECONDS + ".",
              "timeoutSeconds"));
    }
    ExecResult result =
        commands
            .run(key, containerName, request.getArgv(), Duration.ofSeconds(seconds))
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    return ResponseEntity.ok(
        new ContainerExecResponse()
            .exitCode(result.exitCode())
            .stdout(result.stdout())
            .stderr(result.stderr())
            .truncated(result.truncated() ? true : null));
  }
}
