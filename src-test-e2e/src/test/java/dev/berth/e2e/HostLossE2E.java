package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a whole host (its dockerd and everything running its containers) under groups of each
 * restart policy, then the host coming back: issue 8, "Survive a host that dies".
 */
class HostLossE2E {

  private static TwoEngineFleet fleet;
  private static Dockerd doomed;
  private static Dockerd spare;
  private static BerthProcess berth;
  private static HostsApi hosts;
  private static ContainerGroupsApi api;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet =
        TwoEngineFleet.start(
            "hl1", "hl2", List.of("--berth.hosts.lost-after=6s", "--berth.hosts.ping-interval=1s"));
    doomed = fleet.first;
    spare = fleet.second;
    berth = fleet.berth;
    hosts = fleet.hosts;
    api = fleet.api;
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void groupsOfAKilledHostRunAgainElsewhereAndItsStaleContainersGoWhenItReturns() throws Exception {
    String sub = Groups.unique("hostloss");
    List<String> names = List.of("always", "onfailure", "never");
    EngineScan scan = EngineScan.localAnd(doomed, spare, sub);
    try {
      Hosts.pinnedTo(
          hosts,
          doomed.name(),
          () -> {
            api.containerGroupsCreateOrUpdate(
                sub, "rg", "always", API_VERSION, Groups.sleeper("Always"));
            api.containerGroupsCreateOrUpdate(
                sub, "rg", "onfailure", API_VERSION, Groups.sleeper("OnFailure"));
            api.containerGroupsCreateOrUpdate(
                sub, "rg", "never", API_VERSION, Groups.sleeper("Never"));
          });
      for (String name : names) {
        assertThat(Groups.awaitState(api, sub, "rg", name, "Running").getProperties().getHostName())
            .as(name)
            .isEqualTo(doomed.name());
      }
      EngineScan.Seen before = scan.assertNoGroupRunsTwice();
      for (String name : names) {
        assertThat(before.enginesRunning(sub, name)).as(name).containsExactly(doomed.name());
      }

      long killedAt = System.nanoTime();
      doomed.kill9();

      // The Always group is Repairing from the loss until its new copy runs, then Succeeded.
      Set<String> provisioningSeen = new LinkedHashSet<>();
      ContainerGroup moved = awaitRunningElsewhere("always", sub, scan, provisioningSeen);
      System.out.printf(
          "host loss: %.1f s from kill -9 of %s to the Always group Running on %s%n",
          (System.nanoTime() - killedAt) / 1e9, doomed.name(), moved.getProperties().getHostName());
      ContainerGroup onFailure = awaitRunningElsewhere("onfailure", sub, scan, provisioningSeen);
      assertThat(provisioningSeen).contains("Repairing");
      Map<String, String> movedTo = new java.util.HashMap<>();
      for (ContainerGroup g : List.of(moved, onFailure)) {
        ContainerGroup settled = awaitProvisioning(sub, g.getName(), "Succeeded");
        movedTo.put(g.getName(), settled.getProperties().getHostName());
        assertThat(settled.getProperties().getHostName())
            .as(g.getName())
            .isIn(Hosts.LOCAL, spare.name());
        assertThat(Hosts.events(settled))
            .as("events of %s", g.getName())
            .anySatisfy(e -> assertThat(e).contains(doomed.name()));
        assertThat(scan.assertNoGroupRunsTwice().enginesRunning(sub, g.getName()))
            .containsExactly(settled.getProperties().getHostName());
      }

      // The Never group does not run again: it failed because its host was lost.
      ContainerGroup never = Groups.awaitState(api, sub, "rg", "never", "Failed");
      assertThat(String.join("\n", reasons(never))).contains("HostLost");
      assertThat(scan.assertNoGroupRunsTwice().running(sub, "never")).isEmpty();

      assertThat(hosts.getHost(doomed.name()).getState()).isEqualTo(Host.StateEnum.LOST);
      assertThat(hosts.listHosts().getValue())
          .filteredOn(h -> h.getId().equals(doomed.name()))
          .singleElement()
          .satisfies(h -> assertThat(h.getState()).isEqualTo(Host.StateEnum.LOST));

      // The host comes back: nothing of these groups may run there again, and it takes work.
      doomed.restart();
      Hosts.awaitState(hosts, doomed.name(), Host.StateEnum.READY);
      EngineScan.Seen back = scan.assertNoGroupRunsTwice();
      assertThat(back.copies())
          .filteredOn(c -> c.engine().equals(doomed.name()))
          .noneMatch(EngineScan.Copy::running);
      // The moved groups' old containers (sandboxes too) are removed; the Failed Never group keeps
      // its own, as any finished group does, until it is deleted.
      await("the moved groups' stale containers on " + doomed.name() + " to be removed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(scan.assertNoGroupRunsTwice().copies())
                      .filteredOn(
                          c -> c.engine().equals(doomed.name()) && !c.groupName().equals("never"))
                      .isEmpty());
      // The moved groups stayed where they were moved to.
      for (var g : movedTo.entrySet()) {
        ContainerGroup now = Groups.awaitState(api, sub, "rg", g.getKey(), "Running");
        assertThat(now.getProperties().getHostName()).as(g.getKey()).isEqualTo(g.getValue());
        assertThat(scan.assertNoGroupRunsTwice().enginesRunning(sub, g.getKey()))
            .containsExactly(g.getValue());
      }

      for (String name : names) {
        api.containerGroupsDelete(sub, "rg", name, API_VERSION);
      }
      assertThat(scan.scan().copies()).isEmpty();
    } finally {
      Groups.deleteQuietly(api, sub, "rg", names);
    }
  }

  /**
   * Polls until the group is Running on another host than the killed one, recording its
   * provisioning states and checking the engines for a second copy at every poll.
   */
  private static ContainerGroup awaitRunningElsewhere(
      String name, String sub, EngineScan scan, Set<String> provisioningSeen) {
    List<ContainerGroup> last = new ArrayList<>(List.of(new ContainerGroup()));
    await(name + " to run on another host than " + doomed.name())
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              ContainerGroup g = api.containerGroupsGet(sub, "rg", name, API_VERSION);
              last.set(0, g);
              provisioningSeen.add(g.getProperties().getProvisioningState());
              scan.assertNoGroupRunsTwice();
              return g.getProperties().getInstanceView() != null
                  && "Running".equals(g.getProperties().getInstanceView().getState())
                  && !doomed.name().equals(g.getProperties().getHostName());
            });
    return last.get(0);
  }

  private static ContainerGroup awaitProvisioning(String sub, String name, String state)
      throws Exception {
    await(name + " to be provisioned " + state)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                state.equals(
                    api.containerGroupsGet(sub, "rg", name, API_VERSION)
                        .getProperties()
                        .getProvisioningState()));
    return api.containerGroupsGet(sub, "rg", name, API_VERSION);
  }

  /** Events plus each container's detail status: wherever a reason is shown. */
  static List<String> reasons(ContainerGroup g) {
    List<String> all = new ArrayList<>(Hosts.events(g));
    g.getProperties()
        .getContainers()
        .forEach(
            c -> {
              var view = c.getProperties().getInstanceView();
              if (view != null && view.getCurrentState() != null) {
                all.add(String.valueOf(view.getCurrentState().getDetailStatus()));
              }
            });
    return all;
  }
}
