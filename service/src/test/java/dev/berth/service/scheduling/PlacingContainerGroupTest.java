package dev.berth.service.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.Placement;
import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacingContainerGroupTest {

  /** Hosts of fixed size; reservations kept in a map, as the database keeps rows. */
  private static final class Hosts implements PlacementStore {
    final List<HostCapacity> hosts;
    final Map<UUID, String> reservedOn = new HashMap<>();

    Hosts(HostCapacity... hosts) {
      this.hosts = List.of(hosts);
    }

    @Override
    public List<HostCapacity> capacitiesExcluding(UUID groupId) {
      return hosts;
    }

    @Override
    public Optional<Placement> tryReserve(
        UUID groupId, String hostId, Resources demand, List<PublishedPort> ports) {
      reservedOn.put(groupId, hostId);
      return Optional.of(new Placement(hostId, null));
    }

    @Override
    public void release(UUID groupId) {
      reservedOn.remove(groupId);
    }

    @Override
    public boolean isHeld(UUID groupId) {
      return reservedOn.containsKey(groupId);
    }
  }

  private static HostCapacity host(String id, String zone, long reservedCpu) {
    return new HostCapacity(
        id, zone, new Resources(4000, 8192), new Resources(reservedCpu, 0), true);
  }

  private static GroupSpec twoContainers(String zone) {
    var size = new Resources(1000, 1024);
    var web = new ContainerDefinition("web", "nginx", List.of(), List.of(), size, size);
    var sidecar = new ContainerDefinition("sidecar", "busybox", List.of(), List.of(), size, size);
    return new GroupSpec(List.of(web, sidecar), RestartPolicy.ALWAYS, "Linux").withZone(zone);
  }

  private final Hosts store =
      new Hosts(host("a-1", "1", 0), host("b-1", "1", 1000), host("c-2", "2", 0));

  @ParameterizedTest
  @CsvSource({"BINPACK, 1, b-1", "SPREAD, 1, a-1", "BINPACK, 2, c-2", "SPREAD, '', a-1"})
  void aGroupGoesWholeToTheBestHostOfItsZone(Ranking ranking, String zone, String expected) {
    UUID group = UUID.randomUUID();
    Placement placed =
        new PlacingContainerGroup(store, new Scheduler(ranking))
            .place(group, twoContainers(zone.isEmpty() ? null : zone), null);
    assertThat(placed.hostId()).isEqualTo(expected);
    assertThat(store.reservedOn).containsOnlyKeys(group);
  }

  @Test
  void aZoneWithoutHostsReservesNothingAndNamesTheZonesThatExist() {
    var placing = new PlacingContainerGroup(store, new Scheduler(Ranking.BINPACK));
    assertThatThrownBy(() -> placing.place(UUID.randomUUID(), twoContainers("3"), null))
        .isInstanceOf(NoHostInZoneException.class)
        .hasMessage("No host is in zone '3'. Zones with hosts: '1', '2'.");
    assertThat(store.reservedOn).isEmpty();
  }

  @Test
  void aFullZoneIsInsufficientCapacityEvenWhenAnotherZoneHasRoom() {
    var placing =
        new PlacingContainerGroup(
            new Hosts(host("a-1", "1", 3000), host("c-2", "2", 0)), new Scheduler(Ranking.SPREAD));
    assertThatThrownBy(() -> placing.place(UUID.randomUUID(), twoContainers("1"), null))
        .isExactlyInstanceOf(InsufficientCapacityException.class)
        .hasMessageContaining("No host in zone '1' has room")
        .hasMessageEndingWith("Zones with hosts: '1', '2'.");
  }
}
