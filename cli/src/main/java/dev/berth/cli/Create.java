package dev.berth.cli;

import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerGroupProperties;
import dev.berth.sdk.model.ContainerPort;
import dev.berth.sdk.model.ContainerProperties;
import dev.berth.sdk.model.EnvironmentVariable;
import dev.berth.sdk.model.IpAddress;
import dev.berth.sdk.model.Port;
import dev.berth.sdk.model.ResourceRequests;
import dev.berth.sdk.model.ResourceRequirements;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth container create}: from flags, or ACI YAML with {@code --file}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create (or replace) a container group, from flags or --file (ACI's YAML).")
final class Create extends Containers.GroupCommand {
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

  @Option(names = "--command-line", description = "The command, split into words as a shell would")
  String commandLine;

  @Option(names = "--location", defaultValue = "local", description = "Location")
  String location;

  @Option(names = "--no-wait", description = "Do not wait for the group to run")
  boolean noWait;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Seconds to wait for the group to run (default ${DEFAULT-VALUE}); then exit 4")
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
    Berth.print(out(), common.output, group, Containers.table(List.of(group)));
    // A group that could not run is not done: the script is told so.
    return "Failed".equals(Containers.state(group)) ? Berth.REFUSED : 0;
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
      String state = Containers.state(g);
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
