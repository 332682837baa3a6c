package dev.berth.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.model.Container;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.ContainerGroupProperties;
import dev.berth.sdk.model.ContainerProperties;
import dev.berth.sdk.model.ResourceRequests;
import dev.berth.sdk.model.ResourceRequirements;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Small helpers for building groups with the SDK and waiting on them. */
final class Groups {

  static final String API_VERSION = "2023-05-01";
  static final String IMAGE = System.getenv().getOrDefault("BERTH_SAMPLE_IMAGE", "berth/busybox:1");

  private Groups() {}

  /**
   * The address of group {@code name} in resource group {@code rg}, then {@code suffix} (a
   * sub-resource such as {@code /events}, or empty) and the api-version, then {@code query}.
   */
  static java.net.URI uri(
      BerthProcess berth, String sub, String name, String suffix, String query) {
    return java.net.URI.create(
        berth.baseUri()
            + "/subscriptions/"
            + sub
            + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
            + name
            + suffix
            + "?api-version="
            + API_VERSION
            + query);
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static ContainerGroup group(String restartPolicy, Container... containers) {
    ContainerGroupProperties properties =
        new ContainerGroupProperties().osType("Linux").restartPolicy(restartPolicy);
    for (Container c : containers) {
      properties.addContainersItem(c);
    }
    return new ContainerGroup().location("local").properties(properties);
  }

  static Container container(String name, double cpu, double memoryInGb, String... command) {
    return new Container()
        .name(name)
        .properties(
            new ContainerProperties()
                .image(IMAGE)
                .command(List.of(command))
                .resources(
                    new ResourceRequirements()
                        .requests(new ResourceRequests().cpu(cpu).memoryInGB(memoryInGb))));
  }

  /** Polls GET (as ACI clients do) until the group's instanceView.state is {@code state}. */
  /**
   * Container "main" that counts its runs in its writable layer (kept across restarts of the same
   * container), prints {@code run N} and then {@code lines} more lines (0.2 s apart, "run N line
   * i"), and fails its first run: under OnFailure it runs twice, then the group has Succeeded.
   */
  static Container failsItsFirstRun(int lines) {
    return container(
        "main",
        0.1,
        0.0625,
        "sh",
        "-c",
        "n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n; echo run $n;"
            + " i=1; while [ $i -le "
            + lines
            + " ]; do echo run $n line $i; i=$((i+1)); sleep 0.2; done; sleep 0.5; [ $n -ge 2 ]");
  }

  static ContainerGroup awaitState(
      ContainerGroupsApi api, String sub, String rg, String name, String state) {
    await("group " + name + " to be " + state)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              ContainerGroup g = api.containerGroupsGet(sub, rg, name, API_VERSION);
              return g.getProperties().getInstanceView() != null
                  && state.equals(g.getProperties().getInstanceView().getState());
            });
    try {
      return api.containerGroupsGet(sub, rg, name, API_VERSION);
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  /** A sleeper that runs until stopped: small enough for many per engine. */
  static ContainerGroup sleeper(String restartPolicy) {
    return group(restartPolicy, container("main", 0.1, 0.0625, "sleep", "3600"));
  }

  /**
   * Deletes the groups, ignoring errors: for a finally block, so a failed test does not leave its
   * containers on the shared default engine.
   */
  static void deleteQuietly(ContainerGroupsApi api, String sub, String rg, List<String> names) {
    for (String name : names) {
      try {
        api.containerGroupsDelete(sub, rg, name, API_VERSION);
      } catch (ApiException | RuntimeException ignored) {
        // Best effort; the engines the test started are removed with their containers anyway.
      }
    }
  }
}
