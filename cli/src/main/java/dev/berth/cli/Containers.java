package dev.berth.cli;

import dev.berth.sdk.api.ContainerGroupActionsApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerGroupProperties;
import dev.berth.sdk.model.ContainerPort;
import dev.berth.sdk.model.ContainerProperties;
import dev.berth.sdk.model.EnvironmentVariable;
import dev.berth.sdk.model.IpAddress;
import dev.berth.sdk.model.Port;
import dev.berth.sdk.model.ResourceRequests;
import dev.berth.sdk.model.ResourceRequirements;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
      Containers.Create.class,
      Containers.Show.class,
      Containers.ListGroups.class,
      Containers.Delete.class,
      Containers.Start.class,
      Containers.Stop.class,
      Containers.Restart.class,
      Containers.Logs.class,
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

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create (or replace) a container group, from flags or --file (ACI's YAML).")
  static final class Create extends GroupCommand {
    @Option(
        names = {"-g", "--resource-group"},
        required = true,
        description = "Resource group")
    String resourceGroup;

    @Option(
        names = {"-n", "--name"},
        description = "Name (default: the file's name)")
    String name;

    @Option(
        names = {"-f", "--file"},
        description = "ACI YAML (as az container create --file)")
    Path file;

    @Option(names = "--image", description = "Container image")
    String image;

    @Option(names = "--cpu", defaultValue = "1", description = "vCPU (default ${DEFAULT-VALUE})")
    double cpu;

    @Option(names = "--memory", defaultValue = "1.5", description = "GB (default ${DEFAULT-VALUE})")
    double memory;

    @Option(
        names = "--restart-policy",
        defaultValue = "Always",
        description = "Always, OnFailure or Never (default ${DEFAULT-VALUE})")
    String restartPolicy;

    @Option(names = "--ports", arity = "1..*", description = "Ports to publish")
    List<Integer> ports = new ArrayList<>();

    @Option(
        names = {"-e", "--environment-variables"},
        arity = "1..*",
        description = "NAME=VALUE ...")
    List<String> environment = new ArrayList<>();

    @Option(
        names = "--secure-environment-variables",
        arity = "1..*",
        description = "NAME=VALUE ..., never shown again")
    List<String> secureEnvironment = new ArrayList<>();

    @Option(
        names = "--command-line",
        description = "The command, split into words as a shell would")
    String commandLine;

    @Option(names = "--location", defaultValue = "local", description = "Location")
    String location;

    @Option(names = "--no-wait", description = "Do not wait for the group to run")
    boolean noWait;

    @Option(
        names = "--timeout",
        defaultValue = "600",
        description =
            "Seconds to wait for the group to run (default ${DEFAULT-VALUE}); then exit 4")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      String sub = berth.subscription();
      var groups = new ContainerGroupsApi(berth.client);
      if (file != null) {
        String yaml = Berth.readFile(file);
        if (name == null) {
          name = Berth.YAML.readTree(yaml).path("name").asText(null);
        }
        if (name == null) {
          throw new Berth.Refused(CommandLine.ExitCode.USAGE, "give -n: the file names no group");
        }
        HttpResponse<String> answer =
            berth.send(
                HttpRequest.newBuilder(
                        berth.uri(
                            "/subscriptions/"
                                + sub
                                + "/resourceGroups/"
                                + resourceGroup
                                + "/providers/Microsoft.ContainerInstance/containerGroups/"
                                + name
                                + "?api-version="
                                + Berth.API_VERSION))
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
        if (answer.statusCode() >= 300) {
          throw new Berth.Refused(
              answer.statusCode() >= 500 ? Berth.FAILED : Berth.REFUSED,
              Berth.errorMessage(answer.statusCode(), answer.body()));
        }
      } else {
        if (name == null || image == null) {
          throw new Berth.Refused(CommandLine.ExitCode.USAGE, "give -n and --image, or --file");
        }
        groups.containerGroupsCreateOrUpdate(
            sub, resourceGroup, name, Berth.API_VERSION, fromFlags());
      }
      ContainerGroup group =
          noWait
              ? groups.containerGroupsGet(sub, resourceGroup, name, Berth.API_VERSION)
              : await(groups, sub);
      Berth.print(out(), common.output, group, table(List.of(group)));
      // A group that could not run is not done: the script is told so.
      return "Failed".equals(state(group)) ? Berth.REFUSED : 0;
    }

    private ContainerGroup fromFlags() {
      ContainerProperties container =
          new ContainerProperties()
              .image(image)
              .resources(
                  new ResourceRequirements()
                      .requests(new ResourceRequests().cpu(cpu).memoryInGB(memory)));
      if (commandLine != null && !commandLine.isBlank()) {
        try {
          container.command(Words.split(commandLine));
        } catch (IllegalArgumentException unclosed) {
          throw new Berth.Refused(
              CommandLine.ExitCode.USAGE, "--command-line: " + unclosed.getMessage());
        }
      }
      for (String pair : environment) {
        container.addEnvironmentVariablesItem(variable(pair, false));
      }
      for (String pair : secureEnvironment) {
        container.addEnvironmentVariablesItem(variable(pair, true));
      }
      ContainerGroupProperties properties =
          new ContainerGroupProperties()
              .osType("Linux")
              .restartPolicy(restartPolicy)
              .addContainersItem(new Container().name(name).properties(container));
      if (!ports.isEmpty()) {
        List<Port> published = new ArrayList<>();
        for (int port : ports) {
          container.addPortsItem(new ContainerPort().port(port));
          published.add(new Port().port(port).protocol("TCP"));
        }
        properties.ipAddress(new IpAddress().type("Public").ports(published));
      }
      return new ContainerGroup().location(location).properties(properties);
    }

    private static EnvironmentVariable variable(String pair, boolean secure) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new Berth.Refused(
            CommandLine.ExitCode.USAGE, "environment variables are NAME=VALUE, not '" + pair + "'");
      }
      var v = new EnvironmentVariable().name(pair.substring(0, eq));
      String value = pair.substring(eq + 1);
      return secure ? v.secureValue(value) : v.value(value);
    }

    /** Polls until the group runs or has ended, with a progress line on stderr. */
    private ContainerGroup await(ContainerGroupsApi groups, String sub) throws Exception {
      String said = null;
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(timeoutSeconds).toNanos();
      while (true) {
        if (System.nanoTime() > deadline) {
          throw new Berth.Refused(
              Berth.FAILED,
              name + " is not running after " + timeoutSeconds + " s (last: " + said + ")");
        }
        ContainerGroup g = groups.containerGroupsGet(sub, resourceGroup, name, Berth.API_VERSION);
        String state = state(g);
        String detail = progress(g);
        String line = name + ": " + Objects.toString(state, "Pending") + detail;
        if (!line.equals(said)) {
          err().println(line);
          err().flush();
          said = line;
        }
        if (state != null && List.of("Running", "Succeeded", "Failed", "Stopped").contains(state)) {
          return g;
        }
        Thread.sleep(500);
      }
    }

    /** The newest event of the first container (Pulling, Pulled, Started, ...), if any. */
    private static String progress(ContainerGroup g) {
      var containers = g.getProperties().getContainers();
      if (containers.isEmpty() || containers.get(0).getProperties().getInstanceView() == null) {
        return "";
      }
      var events = containers.get(0).getProperties().getInstanceView().getEvents();
      if (events == null || events.isEmpty()) {
        return "";
      }
      var last = events.get(events.size() - 1);
      return " (" + last.getName() + ": " + Objects.toString(last.getMessage(), "") + ")";
    }
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

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var logs =
          new ContainersApi(berth.client)
              .containersListLogs(
                  berth.subscription(),
                  group.resourceGroup,
                  group.name,
                  container(berth, group, containerName),
                  Berth.API_VERSION,
                  tail,
                  null,
                  null);
      out().print(Objects.toString(logs.getContent(), ""));
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "exec",
      mixinStandardHelpOptions = true,
      description =
          "Run a command in a container; its output is printed and its exit code returned.")
  static final class Exec extends GroupCommand {
    @Mixin Named group;

    @Option(names = "--container-name", description = "Container (default: the group's first)")
    String containerName;

    @Parameters(arity = "1..*", paramLabel = "ARGV", description = "The command, after --")
    List<String> argv;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var result =
          new ContainersApi(berth.client)
              .containersExecuteCommand(
                  berth.subscription(),
                  group.resourceGroup,
                  group.name,
                  container(berth, group, containerName),
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
