package dev.berth.cli;

import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth container ...}: az container's commands over the SDK. */
@Command(
    name = "container",
    mixinStandardHelpOptions = true,
    description = "Create and manage container groups.",
    subcommands = {
      Create.class,
      Containers.Show.class,
      Containers.ListGroups.class,
      Containers.Delete.class,
      Containers.Start.class,
      Containers.Stop.class,
      Containers.Restart.class,
      Containers.Logs.class,
      Containers.Attach.class,
      Containers.Exec.class
    })
final class Containers implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every command here takes. */
  static final class Common {
    @Option(
        names = "--subscription",
        description = "Subscription (default: the one berth login kept)")
    String subscription;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "json",
        description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Berth.Output output;
  }

  /** A group named by -g and -n. */
  static final class Named {
    @Option(
        names = {"-g", "--resource-group"},
        required = true,
        description = "Resource group")
    String resourceGroup;

    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Container group name")
    String name;
  }

  abstract static class GroupCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Common common;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }
  }

  static String state(ContainerGroup g) {
    return g.getProperties() == null || g.getProperties().getInstanceView() == null
        ? null
        : g.getProperties().getInstanceView().getState();
  }

  static List<String[]> table(List<ContainerGroup> groups) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "ResourceGroup", "State", "Image", "CPU/Memory", "IP:ports"});
    for (ContainerGroup g : groups) {
      var p = g.getProperties();
      Container first = p.getContainers().isEmpty() ? null : p.getContainers().get(0);
      var requests =
          first == null || first.getProperties().getResources() == null
              ? null
              : first.getProperties().getResources().getRequests();
      String group =
          g.getId() == null ? "" : g.getId().replaceAll(".*/resourceGroups/([^/]+)/.*", "$1");
      String address = "";
      if (p.getIpAddress() != null) {
        address =
            Objects.toString(p.getIpAddress().getIp(), "")
                + ":"
                + p.getIpAddress().getPorts().stream()
                    .map(port -> port.getPort().toString())
                    .reduce((a, b) -> a + "," + b)
                    .orElse("");
      }
      rows.add(
          new String[] {
            g.getName(),
            group,
            state(g),
            first == null ? "" : first.getProperties().getImage(),
            requests == null ? "" : requests.getCpu() + " core/" + requests.getMemoryInGB() + " gb",
            address
          });
    }
    return rows;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a container group.")
  static final class Show extends GroupCommand {
    @Mixin Named group;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      ContainerGroup g =
          new ContainerGroupsApi(berth.client)
              .containerGroupsGet(
                  berth.subscription(), group.resourceGroup, group.name, Berth.API_VERSION);
      Berth.print(out(), common.output, g, table(List.of(g)));
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List container groups (of a resource group with -g).")
  static final class ListGroups extends GroupCommand {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group")
    String resourceGroup;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var api = new ContainerGroupsApi(berth.client);
      List<ContainerGroup> all = new ArrayList<>();
      String token = null;
      do {
        var page =
            resourceGroup == null
                ? api.containerGroupsList(berth.subscription(), Berth.API_VERSION, token)
                : api.containerGroupsListByResourceGroup(
                    berth.subscription(), resourceGroup, Berth.API_VERSION, token);
        if (page.getValue() != null) {
          all.addAll(page.getValue());
        }
        token =
            page.getNextLink() == null
                ? null
                : page.getNextLink().replaceAll(".*[?&]\\$skipToken=([^&]*).*", "$1");
      } while (token != null);
      Berth.print(out(), common.output, all, table(all));
      return 0;
    }
  }

  /** A command on one group that prints nothing when it is done. */
  abstract static class GroupAction extends GroupCommand {
    @Mixin Named group;

    abstract void act(Berth.Connection berth, String sub, String rg, String name) throws Exception;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      act(berth, berth.subscription(), group.resourceGroup, group.name);
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a container group.")
  static final class Delete extends GroupAction {
    @Option(
        names = {"-y", "--yes"},
        description = "Do not ask (nothing is asked: kept for az's flag)")
    boolean yes;

    @Override
    void act(Berth.Connection berth, String sub, String rg, String name) throws Exception {
      new ContainerGroupsApi(berth.client).containerGroupsDelete(sub, rg, name, Berth.API_VERSION);
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a stopped group.")
  static final class Start extends GroupAction {
    @Override
    void act(Berth.Connection berth, String sub, String rg, String name) throws Exception {
      new ContainerGroupActionsApi(berth.client)
          .containerGroupsStart(sub, rg, name, Berth.API_VERSION);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a group.")
  static final class Stop extends GroupAction {
    @Override
    void act(Berth.Connection berth, String sub, String rg, String name) throws Exception {
      new ContainerGroupActionsApi(berth.client)
          .containerGroupsStop(sub, rg, name, Berth.API_VERSION);
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restart a group's containers.")
  static final class Restart extends GroupAction {
    @Override
    void act(Berth.Connection berth, String sub, String rg, String name) throws Exception {
      new ContainerGroupActionsApi(berth.client)
          .containerGroupsRestart(sub, rg, name, Berth.API_VERSION);
    }
  }

  /** The container named by --container-name, or the group's first. */
  static String container(Berth.Connection berth, Named group, String containerName)
      throws Exception {
    if (containerName != null) {
      return containerName;
    }
    ContainerGroup g =
        new ContainerGroupsApi(berth.client)
            .containerGroupsGet(
                berth.subscription(), group.resourceGroup, group.name, Berth.API_VERSION);
    return g.getProperties().getContainers().get(0).getName();
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A container's output.")
  static final class Logs extends GroupCommand {
    @Mixin Named group;

    @Option(names = "--container-name", description = "Container (default: the group's first)")
    String containerName;

    @Option(names = "--tail", description = "Only the last N lines")
    Integer tail;

    @Option(
        names = {"-f", "--follow"},
        description = "Go on printing lines as they are written, until the group ends")
    boolean follow;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      String container = container(berth, group, containerName);
      if (follow) {
        PrintWriter out = out();
        new Follow(berth)
            .follow(
                logsPath(berth, group, container) + (tail == null ? "" : "&tail=" + tail),
                line -> {
                  out.println(line.data());
                  out.flush();
                });
        return 0;
      }
      var logs =
          new ContainersApi(berth.client)
              .containersListLogs(
                  berth.subscription(),
                  group.resourceGroup,
                  group.name,
                  container,
                  Berth.API_VERSION,
                  tail,
                  null,
                  null,
                  null,
                  null);
      out().print(Objects.toString(logs.getContent(), ""));
      out().flush();
      return 0;
    }
  }

  static String groupPath(Berth.Connection berth, Named group) {
    return "/subscriptions/"
        + berth.subscription()
        + "/resourceGroups/"
        + group.resourceGroup
        + "/providers/Microsoft.ContainerInstance/containerGroups/"
        + group.name;
  }

  static String logsPath(Berth.Connection berth, Named group, String container) {
    return groupPath(berth, group)
        + "/containers/"
        + container
        + "/logs?api-version="
        + Berth.API_VERSION
        + "&follow=true";
  }

  @Command(
      name = "attach",
      mixinStandardHelpOptions = true,
      description =
          "Print a group's state changes (on stderr) and its containers' output as they happen,"
              + " until the group ends; exit 1 when it ends Failed.")
  static final class Attach extends GroupCommand {
    @Mixin Named group;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var groups = new ContainerGroupsApi(berth.client);
      ContainerGroup g =
          groups.containerGroupsGet(
              berth.subscription(), group.resourceGroup, group.name, Berth.API_VERSION);
      List<String> names =
          g.getProperties().getContainers().stream().map(Container::getName).toList();
      PrintWriter out = out();
      PrintWriter err = err();
      List<Callable<Void>> streams = new ArrayList<>();
      streams.add(
          () -> {
            new Follow(berth)
                .follow(
                    groupPath(berth, group)
                        + "/events?api-version="
                        + Berth.API_VERSION
                        + "&follow=true",
                    event -> {
                      synchronized (err) {
                        err.println(describe(event.data()));
                        err.flush();
                      }
                    });
            return null;
          });
      for (String name : names) {
        String prefix = names.size() > 1 ? "[" + name + "] " : "";
        streams.add(
            () -> {
              new Follow(berth)
                  .follow(
                      logsPath(berth, group, name),
                      line -> {
                        synchronized (out) {
                          out.println(prefix + line.data());
                          out.flush();
                        }
                      });
              return null;
            });
      }
      var pool = java.util.concurrent.Executors.newFixedThreadPool(streams.size());
      try {
        for (var done : pool.invokeAll(streams)) {
          try {
            done.get();
          } catch (java.util.concurrent.ExecutionException failed) {
            throw failed.getCause() instanceof Exception e ? e : failed;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      String state =
          state(
              groups.containerGroupsGet(
                  berth.subscription(), group.resourceGroup, group.name, Berth.API_VERSION));
      return "Failed".equals(state) ? Berth.REFUSED : 0;
    }

    /** One event of the group's stream as a line: its time, kind, container and what changed. */
    static String describe(String json) {
      try {
        var e = Berth.JSON.readTree(json);
        StringBuilder line = new StringBuilder(e.path("at").asText(""));
        for (String field : List.of("kind", "container", "name", "state")) {
          if (e.hasNonNull(field)) {
            line.append(' ').append(e.path(field).asText());
          }
        }
        if (e.hasNonNull("detail")) {
          line.append(" (").append(e.path("detail").asText()).append(')');
        }
        if (e.hasNonNull("message")) {
          line.append(": ").append(e.path("message").asText());
        }
        return line.toString();
      } catch (Exception notJson) {
        return json;
      }
    }
  }

  @Command(
      name = "exec",
      mixinStandardHelpOptions = true,
      description = {
        "Run a command in a container: after --, its output is printed and its exit code returned;"
            + " with --exec-command (as az container exec), in an interactive terminal.",
        "  berth container exec -g rg -n web -- sh -c 'ls /data'",
        "  berth container exec -g rg -n web --exec-command /bin/sh"
      })
  static final class Exec extends GroupCommand {
    @Mixin Named group;

    @Option(names = "--container-name", description = "Container (default: the group's first)")
    String containerName;

    @Option(
        names = "--exec-command",
        description =
            "A command to talk to in a terminal of this terminal's size; exits 0 when it ends")
    String execCommand;

    @Parameters(arity = "0..*", paramLabel = "ARGV", description = "The command, after --")
    List<String> argv;

    @Override
    public Integer call() throws Exception {
      boolean withArgv = argv != null && !argv.isEmpty();
      if (withArgv == (execCommand != null)) {
        err()
            .println(
                "Give the command after -- (its exit code is passed through) or as --exec-command"
                    + " (an interactive terminal): one of the two.");
        return CommandLine.ExitCode.USAGE;
      }
      var berth = new Berth.Connection(common.subscription);
      var containers = new ContainersApi(berth.client);
      String container = container(berth, group, containerName);
      if (execCommand != null) {
        int[] size = Terminal.size();
        var ticket =
            containers.containersExecuteCommand(
                berth.subscription(),
                group.resourceGroup,
                group.name,
                container,
                Berth.API_VERSION,
                new ContainerExecRequest()
                    .command(execCommand)
                    .terminalSize(
                        new dev.berth.sdk.model.ContainerExecRequestTerminalSize()
                            .rows(size[0])
                            .cols(size[1])));
        return Terminal.session(ticket.getWebSocketUri(), ticket.getPassword(), out(), err());
      }
      var result =
          containers.containersExecuteCommand(
              berth.subscription(),
              group.resourceGroup,
              group.name,
              container,
              Berth.API_VERSION,
              new ContainerExecRequest().argv(argv));
      out().print(Objects.toString(result.getStdout(), ""));
      out().flush();
      err().print(Objects.toString(result.getStderr(), ""));
      err().flush();
      return result.getExitCode() == null ? Berth.FAILED : result.getExitCode();
    }
  }
}
