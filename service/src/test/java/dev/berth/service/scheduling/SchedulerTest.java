package dev.berth.service.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.containergroup.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SchedulerTest {

  private static final Resources ONE_CPU_ONE_GB = new Resources(1000, 1024);

  private static HostCapacity host(
      String id, long cpu, long mem, long reservedCpu, long reservedMem, boolean schedulable) {
    return inZone(null, id, cpu, mem, reservedCpu, reservedMem, schedulable);
  }

  private static HostCapacity inZone(
      String zone,
      String id,
      long cpu,
      long mem,
      long reservedCpu,
      long reservedMem,
      boolean schedulable) {
    return new HostCapacity(
        id, zone, new Resources(cpu, mem), new Resources(reservedCpu, reservedMem), schedulable);
  }

  private static List<String> ids(List<HostCapacity> hosts) {
    return hosts.stream().map(HostCapacity::hostId).toList();
  }

  private static final HostCapacity EMPTY = host("empty", 4000, 8192, 0, 0, true);
  private static final HostCapacity HALF = host("half", 4000, 8192, 2000, 4096, true);
  private static final HostCapacity MOSTLY_FULL = host("mostly-full", 4000, 8192, 3000, 6144, true);

  @ParameterizedTest
  @CsvSource({"BINPACK, mostly-full half empty", "SPREAD, empty half mostly-full"})
  void ranksByUtilisationAfterPlacement(Ranking ranking, String expected) {
    assertThat(
            ids(
                new Scheduler(ranking)
                    .rank(ONE_CPU_ONE_GB, null, List.of(EMPTY, MOSTLY_FULL, HALF), null)))
        .containsExactly(expected.split(" "));
  }

  /**
   * Utilisation is counted after the group is placed, relative to each host's size: the big host
   * with some reserved is left emptier (3/8) than the small empty host (1/2).
   */
  @ParameterizedTest
  @CsvSource({"BINPACK, small big", "SPREAD, big small"})
  void utilisationIsRelativeToTheHostsSizeAfterPlacement(Ranking ranking, String expected) {
    var big = host("big", 8000, 16384, 2000, 0, true);
    var small = host("small", 2000, 16384, 0, 0, true);
    assertThat(ids(new Scheduler(ranking).rank(ONE_CPU_ONE_GB, null, List.of(big, small), null)))
        .containsExactly(expected.split(" "));
  }

  /** The scarcer resource decides: memory 7/8 full outweighs CPU 1/4 full. */
  @ParameterizedTest
  @CsvSource({"BINPACK, memory-bound cpu-bound", "SPREAD, cpu-bound memory-bound"})
  void theFullerResourceCounts(Ranking ranking, String expected) {
    var memoryBound = host("memory-bound", 4000, 8192, 0, 6144, true);
    var cpuBound = host("cpu-bound", 4000, 8192, 2000, 0, true);
    assertThat(
            ids(
                new Scheduler(ranking)
                    .rank(ONE_CPU_ONE_GB, null, List.of(cpuBound, memoryBound), null)))
        .containsExactly(expected.split(" "));
  }

  @ParameterizedTest
  @EnumSource(Ranking.class)
  void equalHostsGoInIdOrder(Ranking ranking) {
    var c = host("c", 4000, 8192, 0, 0, true);
    var a = host("a", 4000, 8192, 0, 0, true);
    var b = host("b", 4000, 8192, 0, 0, true);
    assertThat(ids(new Scheduler(ranking).rank(ONE_CPU_ONE_GB, null, List.of(c, a, b), null)))
        .containsExactly("a", "b", "c");
  }

  @ParameterizedTest
  @CsvSource({
    "BINPACK, empty, empty mostly-full half",
    "SPREAD, mostly-full, mostly-full empty half"
  })
  void aPreferredHostThatFitsComesFirst(Ranking ranking, String preferred, String expected) {
    assertThat(
            ids(
                new Scheduler(ranking)
                    .rank(ONE_CPU_ONE_GB, null, List.of(EMPTY, HALF, MOSTLY_FULL), preferred)))
        .containsExactly(expected.split(" "));
  }

  @ParameterizedTest
  @EnumSource(Ranking.class)
  void aPreferredHostThatCannotTakeTheGroupIsLeftOut(Ranking ranking) {
    var fullPreferred = host("full", 4000, 8192, 4000, 0, true);
    var cordonedPreferred = host("cordoned", 4000, 8192, 0, 0, false);
    var otherZonePreferred = inZone("2", "zone-2", 4000, 8192, 0, 0, true);
    var fits = inZone("1", "fits", 4000, 8192, 0, 0, true);
    var hosts = List.of(fullPreferred, cordonedPreferred, otherZonePreferred, fits);
    var scheduler = new Scheduler(ranking);
    for (String preferred : List.of("full", "cordoned", "zone-2")) {
      assertThat(ids(scheduler.rank(ONE_CPU_ONE_GB, "1", hosts, preferred)))
          .as(preferred)
          .containsExactly("fits");
    }
  }

  @ParameterizedTest
  @EnumSource(Ranking.class)
  void leavesOutHostsWithoutRoomOrNotSchedulable(Ranking ranking) {
    var full = host("full", 4000, 8192, 3500, 0, true);
    var cordoned = host("cordoned", 4000, 8192, 0, 0, false);
    var fits = host("fits", 2000, 2048, 0, 0, true);
    assertThat(
            ids(
                new Scheduler(ranking)
                    .rank(ONE_CPU_ONE_GB, null, List.of(full, cordoned, fits), null)))
        .containsExactly("fits");
  }

  @ParameterizedTest
  @EnumSource(Ranking.class)
  void memoryAloneCanRuleAHostOut(Ranking ranking) {
    var tight = host("tight", 4000, 1024, 0, 512, true);
    assertThat(new Scheduler(ranking).rank(new Resources(100, 1024), null, List.of(tight), null))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"1, a1 b1", "2, a2", "3, ''", "'', a1 a2 b1 none"})
  void aGroupWithAZoneIsPlacedOnlyInIt(String zone, String expected) {
    var hosts =
        List.of(
            inZone("1", "a1", 4000, 8192, 0, 0, true),
            inZone("2", "a2", 4000, 8192, 0, 0, true),
            inZone("1", "b1", 4000, 8192, 0, 0, true),
            inZone(null, "none", 4000, 8192, 0, 0, true),
            inZone("3", "c3-cordoned", 4000, 8192, 0, 0, false));
    String asked = zone.isEmpty() ? null : zone;
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
    assertThat(ids(new Scheduler(Ranking.SPREAD).rank(ONE_CPU_ONE_GB, asked, hosts, null)))
        .containsExactlyElementsOf(want);
  }

  /** The ranking over a large random fleet is exactly the one its definition gives. */
  @ParameterizedTest
  @EnumSource(Ranking.class)
  void ranksAFleetAsTheDefinitionSays(Ranking ranking) {
    List<HostCapacity> hosts = randomFleet(new Random(42), 400);
    Resources demand = new Resources(2000, 4096);
    List<HostCapacity> expected = byDefinition(ranking, demand, "z1", hosts, null);

    List<HostCapacity> ranked = new Scheduler(ranking).rank(demand, "z1", hosts, null);

    assertThat(expected).hasSizeGreaterThan(50);
    assertThat(ids(ranked)).containsExactlyElementsOf(ids(expected));
  }

  /**
   * The first hosts are found without sorting the rest (a placement rarely reads past them): read
   * first, alone, they are still the ones the full ordering gives, with a preferred host or not,
   * and when many hosts tie in score and id (few distinct ids, sizes and reservations).
   */
  @ParameterizedTest
  @CsvSource({"BINPACK, 400, false", "SPREAD, 400, false", "BINPACK, 7, true", "SPREAD, 7, true"})
  void theBestHostsReadFirstAreTheOnesTheFullOrderingPutsFirst(
      Ranking ranking, int distinctIds, boolean fewSizes) {
    Scheduler scheduler = new Scheduler(ranking);
    Random random = new Random(7);
    for (int fleet = 0; fleet < 200; fleet++) {
      List<HostCapacity> hosts =
          fewSizes ? fleetOfFewSizes(random, distinctIds) : randomFleet(random, distinctIds);
      Resources demand = new Resources(1000L * (1 + random.nextInt(4)), 1024L);
      String zone = random.nextBoolean() ? null : "z" + random.nextInt(3);
      String preferred = random.nextBoolean() ? null : hosts.get(random.nextInt(50)).hostId();
      List<HostCapacity> expected = byDefinition(ranking, demand, zone, hosts, preferred);

      List<HostCapacity> ranked = scheduler.rank(demand, zone, hosts, preferred);

      assertThat(ranked).hasSameSizeAs(expected);
      if (expected.size() >= 2) {
        // Identity, not equality: of two equal hosts the fleet's first must lead.
        assertThat(ranked.get(0)).as("fleet %d", fleet).isSameAs(expected.get(0));
        assertThat(ranked.get(1)).as("fleet %d", fleet).isSameAs(expected.get(1));
      }
      for (int i = 0; i < expected.size(); i++) {
        assertThat(ranked.get(i)).as("fleet %d, host %d", fleet, i).isSameAs(expected.get(i));
      }
    }
  }

  /** 1,000 hosts of mixed sizes, zones and reservations, 1 in 10 cordoned; ids may repeat. */
  private static List<HostCapacity> randomFleet(Random random, int distinctIds) {
    List<HostCapacity> hosts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      long cpu = 1000L * (1 + random.nextInt(64));
      long mem = 1024L * (1 + random.nextInt(256));
      hosts.add(
          inZone(
              random.nextInt(5) == 0 ? null : "z" + random.nextInt(3),
              "h" + random.nextInt(distinctIds), // ties beyond the score
              cpu,
              mem,
              (long) (cpu * random.nextDouble() * 0.9),
              (long) (mem * random.nextDouble() * 0.9),
              random.nextInt(10) != 0));
    }
    return hosts;
  }

  /** 1,000 hosts of two sizes, reserved in quarters: most hosts tie with many others. */
  private static List<HostCapacity> fleetOfFewSizes(Random random, int distinctIds) {
    List<HostCapacity> hosts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      long size = 1 + random.nextInt(2);
      hosts.add(
          inZone(
              "z" + random.nextInt(3),
              "h" + random.nextInt(distinctIds),
              8000 * size,
              16384 * size,
              2000 * size * random.nextInt(4),
              4096 * size * random.nextInt(4),
              random.nextInt(10) != 0));
    }
    return hosts;
  }

  /**
   * The ranking by its definition: the hosts that can take the group, the preferred one first, then
   * by utilisation after placement, then by id; a stable sort keeps equal hosts in fleet order.
   */
  private static List<HostCapacity> byDefinition(
      Ranking ranking, Resources demand, String zone, List<HostCapacity> hosts, String preferred) {
    Comparator<HostCapacity> byUtilisation =
        Comparator.comparingDouble(h -> h.utilisationAfter(demand));
    Comparator<HostCapacity> definition =
        (ranking == Ranking.BINPACK ? byUtilisation.reversed() : byUtilisation)
            .thenComparing(HostCapacity::hostId);
    List<HostCapacity> feasible =
        hosts.stream()
            .filter(h -> h.schedulable() && h.inZone(zone) && demand.fitsIn(h.free()))
            .toList();
    List<HostCapacity> ranked = new ArrayList<>();
    // Of several feasible hosts with the preferred id, the last leads and the others drop out.
    feasible.stream()
        .filter(h -> h.hostId().equals(preferred))
        .reduce((first, second) -> second)
        .ifPresent(ranked::add);
    feasible.stream()
        .filter(h -> !h.hostId().equals(preferred))
        .sorted(definition)
        .forEach(ranked::add);
    return ranked;
  }

  @Test
  void noFitSaysWhatWasAskedAndWhatWouldFit() {
    var a = host("a", 4000, 8192, 3000, 1024, true);
    var b = host("b", 4000, 8192, 1000, 7168, true);
    InsufficientCapacityException e =
        new Scheduler(Ranking.BINPACK).noFit(new Resources(2000, 2048), null, List.of(a, b));
    assertThat(e).isNotInstanceOf(NoHostInZoneException.class);
    assertThat(e.requested()).isEqualTo(new Resources(2000, 2048));
    assertThat(e.mostFreeHost()).isEqualTo(new Resources(3000, 1024));
    assertThat(e.maxFreeEach()).isEqualTo(new Resources(3000, 7168));
    assertThat(e.getMessage())
        .contains("requested 2.0 vCPU and 2.0 GB")
        .contains("3.0 vCPU and 1.0 GB free")
        .doesNotContain("zone");
  }

  @Test
  void noFitWithNoSchedulableHostSaysSo() {
    var e =
        new Scheduler(Ranking.BINPACK)
            .noFit(new Resources(100, 100), null, List.of(host("x", 4000, 8192, 0, 0, false)));
    assertThat(e.getMessage()).contains("no host is schedulable");
  }

  @Test
  void aZoneNoHostIsInIsNamedWithTheZonesThatExist() {
    var hosts =
        List.of(
            inZone("2", "a", 4000, 8192, 0, 0, true),
            inZone("1", "b", 4000, 8192, 0, 0, false),
            inZone(null, "c", 4000, 8192, 0, 0, true),
            inZone("2", "d", 4000, 8192, 0, 0, true));
    var e = new Scheduler(Ranking.BINPACK).noFit(ONE_CPU_ONE_GB, "3", hosts);
    assertThat(e).isInstanceOf(NoHostInZoneException.class);
    assertThat(e.zone()).isEqualTo("3");
    assertThat(e.zonesWithHosts()).containsExactly("1", "2");
    assertThat(e.getMessage()).isEqualTo("No host is in zone '3'. Zones with hosts: '1', '2'.");
  }

  @Test
  void aZoneWhenNoHostHasAZoneSaysSo() {
    var e =
        new Scheduler(Ranking.SPREAD)
            .noFit(ONE_CPU_ONE_GB, "1", List.of(host("a", 4000, 8192, 0, 0, true)));
    assertThat(e).isInstanceOf(NoHostInZoneException.class);
    assertThat(e.getMessage())
        .isEqualTo("No host is in zone '1'. No host has a zone: leave zones out of the request.");
  }

  @Test
  void aFullZoneSaysWhatItsHostsHaveAndNamesTheZones() {
    var hosts =
        List.of(
            inZone("1", "tight", 4000, 8192, 3500, 0, true),
            inZone("2", "roomy", 64000, 65536, 0, 0, true));
    var e = new Scheduler(Ranking.BINPACK).noFit(ONE_CPU_ONE_GB, "1", hosts);
    assertThat(e).isNotInstanceOf(NoHostInZoneException.class);
    assertThat(e.mostFreeHost()).isEqualTo(new Resources(500, 8192));
    assertThat(e.getMessage())
        .startsWith("No host in zone '1' has room for the group: requested 1.0 vCPU and 1.0 GB;")
        .contains("the roomiest host there has 0.5 vCPU and 8.0 GB free")
        .endsWith("Zones with hosts: '1', '2'.");
  }

  @Test
  void aZoneOfOnlyCordonedHostsSaysNoneThereIsSchedulable() {
    var hosts =
        List.of(
            inZone("1", "cordoned", 4000, 8192, 0, 0, false),
            inZone("2", "ready", 4000, 8192, 0, 0, true));
    var e = new Scheduler(Ranking.BINPACK).noFit(ONE_CPU_ONE_GB, "1", hosts);
    assertThat(e).isNotInstanceOf(NoHostInZoneException.class);
    assertThat(e.getMessage())
        .contains("no host in zone '1' is schedulable")
        .endsWith("Zones with hosts: '1', '2'.");
  }

  @ParameterizedTest
  @CsvSource({"binpack, BINPACK", "spread, SPREAD", "SPREAD, SPREAD", "' BinPack ', BINPACK"})
  void rankingsAreNamedAsTheSettingSpellsThem(String setting, Ranking expected) {
    assertThat(Ranking.named(setting)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"bin-pack", "''", "fullest", "pack"})
  void anUnknownRankingNameIsNone(String setting) {
    assertThat(Ranking.named(setting)).isEmpty();
    assertThat(Ranking.named(null)).isEmpty();
    assertThat(Ranking.settingNames()).isEqualTo("binpack, spread");
  }
}
