package dev.berth.service.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.persistence.JdbcPlacementStore;
import dev.berth.service.scheduling.HostCapacity;
import dev.berth.service.scheduling.PlacingContainerGroup;
import dev.berth.service.scheduling.Ranking;
import dev.berth.service.scheduling.Scheduler;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduler over a fleet of 1,000 hosts, next to raw baselines measured in the same run:
 *
 * <ol>
 *   <li>in memory: rankings per second of {@link Scheduler#rank} (binpack and spread, without and
 *       with a zone), next to a bare loop that only filters the hosts by fit and keeps the best
 *       score (no sort, no allocation: the irreducible cost of looking at every host), and next to
 *       the two rankings it replaced: a full sort of the feasible hosts with each score computed
 *       once, and before that a stream sorted by comparators that recompute the scores;
 *   <li>through the database: placements per second of {@link PlacingContainerGroup} with {@link
 *       JdbcPlacementStore} on embedded PostgreSQL (one transaction per placement, as a PUT does),
 *       next to the bare {@code select ... for update} of one host plus the {@code insert into
 *       placements}, and the read of every host's capacity alone (what each placement also does).
 * </ol>
 *
 * Every figure is the median of several measured rounds after warm-up rounds. Not a test: run by
 * {@code scripts/bench-scheduler}. Arguments: hosts (1000), placements per round (100).
 */
public final class SchedulerBenchmark {

  private static final Resources DEMAND = new Resources(1000, 1024);
  private static final int WARM_UP_ROUNDS = 5;
  private static final int MEASURED_ROUNDS = 7;
  private static final int DATABASE_WARM_UP_ROUNDS = 2;
  private static final int DATABASE_MEASURED_ROUNDS = 5;

  /** Keeps results alive so the JIT cannot drop the work measured. */
  private static long sink;

  public static void main(String[] args) throws Exception {
    int hostCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int placementsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    System.out.printf(
        "Scheduler benchmark: %,d hosts, demand %s vCPU / %s GB, %d cores; medians of %d rounds"
            + " after %d warm-up rounds (database: %d after %d)%n",
        hostCount,
        DEMAND.cpu(),
        DEMAND.memoryInGb(),
        Runtime.getRuntime().availableProcessors(),
        MEASURED_ROUNDS,
        WARM_UP_ROUNDS,
        DATABASE_MEASURED_ROUNDS,
        DATABASE_WARM_UP_ROUNDS);
    inMemory(fleet(hostCount));
    throughTheDatabase(hostCount, placementsPerRound);
    if (sink == 42) {
      System.out.println();
    }
  }

  /** A mixed fleet: sizes 4-64 vCPU, 16-256 GB, 0-90% reserved, 1 in 10 cordoned, three zones. */
  static List<HostCapacity> fleet(int count) {
    Random random = new Random(7);
    List<HostCapacity> hosts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long cpu = 4000L * (1 + random.nextInt(16));
      long memory = 16384L * (1 + random.nextInt(16));
      hosts.add(
          new HostCapacity(
              "host-%04d".formatted(i),
              "zone-" + (1 + i % 3),
              new Resources(cpu, memory),
              new Resources(
                  (long) (cpu * 0.9 * random.nextDouble()),
                  (long) (memory * 0.9 * random.nextDouble())),
              random.nextInt(10) != 0));
    }
    return hosts;
  }

  // ---------------------------------------------------------------- in memory

  static void inMemory(List<HostCapacity> hosts) {
    System.out.printf("%n(a) in-memory ranking over %,d hosts%n", hosts.size());
    HostCapacity[] array = hosts.toArray(HostCapacity[]::new);
    double raw = perSecond(() -> rawBestHost(array, DEMAND));
    System.out.printf("  raw baseline (filter by fit, keep max score): %,12.0f /s%n", raw);
    for (Ranking ranking : Ranking.values()) {
      Scheduler scheduler = new Scheduler(ranking);
      for (String zone : new String[] {null, "zone-2"}) {
        double rate =
            perSecond(() -> scheduler.rank(DEMAND, zone, hosts, "host-0500").get(0).hashCode());
        System.out.printf(
            "  Scheduler.rank %-7s %-11s %,12.0f /s   ratio to raw %5.1fx slower%n",
            ranking.settingName(), zone == null ? "any zone" : zone, rate, raw / rate);
      }
    }
    double sortedOnce = perSecond(() -> rankedBySortingAll(DEMAND, hosts, "host-0500"));
    System.out.printf(
        "  earlier (full sort, scores computed once)    %,12.0f /s   ratio to raw %5.1fx slower%n",
        sortedOnce, raw / sortedOnce);
    double before = perSecond(() -> rankedAsBefore(DEMAND, hosts, "host-0500").get(0).hashCode());
    System.out.printf(
        "  first (stream sort, comparator recomputes)   %,12.0f /s   ratio to raw %5.1fx slower%n",
        before, raw / before);
  }

  /** The irreducible cost: look at every host once, keep the fullest that fits. */
  static int rawBestHost(HostCapacity[] hosts, Resources demand) {
    int best = -1;
    double bestScore = -1;
    long cpu = demand.milliCpu();
    long memory = demand.memoryMiB();
    for (int i = 0; i < hosts.length; i++) {
      HostCapacity h = hosts[i];
      Resources a = h.allocatable();
      Resources r = h.reserved();
      if (!h.schedulable()
          || cpu > a.milliCpu() - r.milliCpu()
          || memory > a.memoryMiB() - r.memoryMiB()) {
        continue;
      }
      double score =
          Math.max(
              (double) (r.milliCpu() + cpu) / a.milliCpu(),
              (double) (r.memoryMiB() + memory) / a.memoryMiB());
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  /**
   * Scheduler.rank as it was before the best host was picked in one pass: every feasible host's
   * binpack score computed once, then all of them sorted. Returns the first host's hash code, as
   * the other figures consume it.
   */
  static int rankedBySortingAll(
      Resources demand, List<HostCapacity> hosts, String preferredHostId) {
    record Candidate(HostCapacity host, double sortKey) implements Comparable<Candidate> {
      @Override
      public int compareTo(Candidate other) {
        int byScore = Double.compare(sortKey, other.sortKey);
        return byScore != 0 ? byScore : host.hostId().compareTo(other.host.hostId());
      }
    }
    Candidate[] feasible = new Candidate[hosts.size()];
    int count = 0;
    HostCapacity preferred = null;
    for (HostCapacity host : hosts) {
      if (!host.schedulable() || !host.fits(demand)) {
        continue;
      }
      if (host.hostId().equals(preferredHostId)) {
        preferred = host;
      } else {
        feasible[count++] = new Candidate(host, -host.utilisationAfter(demand));
      }
    }
    Arrays.sort(feasible, 0, count);
    HostCapacity[] ranked = new HostCapacity[count + (preferred == null ? 0 : 1)];
    int first = preferred == null ? 0 : 1;
    if (preferred != null) {
      ranked[0] = preferred;
    }
    for (int i = 0; i < count; i++) {
      ranked[first + i] = feasible[i].host();
    }
    return Arrays.asList(ranked).get(0).hashCode();
  }

  /** Scheduler.rank as it was first: a stream sorted by comparators that recompute utilisation. */
  static List<HostCapacity> rankedAsBefore(
      Resources demand, List<HostCapacity> hosts, String preferredHostId) {
    Comparator<HostCapacity> packed =
        Comparator.comparingDouble(
            h -> {
              Resources after = h.reserved().plus(demand);
              return -Math.max(
                  (double) after.milliCpu() / h.allocatable().milliCpu(),
                  (double) after.memoryMiB() / h.allocatable().memoryMiB());
            });
    Comparator<HostCapacity> order =
        Comparator.<HostCapacity, Boolean>comparing(h -> !h.hostId().equals(preferredHostId))
            .thenComparing(packed)
            .thenComparing(HostCapacity::hostId);
    return hosts.stream()
        .filter(HostCapacity::schedulable)
        .filter(h -> demand.fitsIn(h.free()))
        .sorted(order)
        .toList();
  }

  /** Median operations per second of rounds of about half a second each, after warm-up. */
  static double perSecond(IntSupplier operation) {
    int batch = 1;
    long start = System.nanoTime();
    while (System.nanoTime() - start < 200_000_000L) { // find a batch of about 50 ms
      for (int i = 0; i < batch; i++) {
        sink += operation.getAsInt();
      }
      batch *= 2;
    }
    double[] rates = new double[MEASURED_ROUNDS];
    for (int round = -WARM_UP_ROUNDS; round < MEASURED_ROUNDS; round++) {
      int operations = 0;
      long began = System.nanoTime();
      long elapsed;
      do {
        for (int i = 0; i < batch; i++) {
          sink += operation.getAsInt();
        }
        operations += batch;
        elapsed = System.nanoTime() - began;
      } while (elapsed < 500_000_000L);
      if (round >= 0) {
        rates[round] = operations * 1e9 / elapsed;
      }
    }
    return median(rates);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  // ---------------------------------------------------------------- through the database

  static void throughTheDatabase(int hostCount, int perRound) throws Exception {
    System.out.printf(
        "%n(b) placements through PostgreSQL (embedded), %,d host rows, %,d placements per round,"
            + " one transaction each%n",
        hostCount, perRound);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        HikariDataSource ds = pool(postgres)) {
      Flyway.configure().dataSource(ds).load().migrate();
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
      jdbc.update(
          "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
              + " last_seen_at, zone) select 'host-' || lpad(i::text, 4, '0'), 'unix:///nowhere',"
              + " 64000, 262144, now(), 'zone-' || (1 + i % 3) from generate_series(0, ? - 1) i",
          hostCount);
      int rounds = DATABASE_WARM_UP_ROUNDS + DATABASE_MEASURED_ROUNDS;
      List<UUID> groups = seedGroups(jdbc, rounds * perRound);
      JdbcPlacementStore store = new JdbcPlacementStore(jdbc);
      GroupSpec spec = spec();

      double raw =
          placementsPerSecond(
              jdbc,
              groups,
              perRound,
              (group, i) ->
                  tx.executeWithoutResult(
                      status -> {
                        String host = "host-%04d".formatted(i % hostCount);
                        jdbc.queryForList(
                            "select allocatable_milli_cpu, allocatable_memory_mib from hosts"
                                + " where id = ? for update",
                            host);
                        jdbc.update(
                            "insert into placements (group_id, host_id, milli_cpu, memory_mib)"
                                + " values (?, ?, ?, ?)",
                            group,
                            host,
                            DEMAND.milliCpu(),
                            DEMAND.memoryMiB());
                      }));
      System.out.printf("  raw baseline (select for update + insert):   %,10.0f /s%n", raw);

      double readAll =
          placementsPerSecond(
              jdbc,
              groups,
              perRound,
              (group, i) ->
                  tx.executeWithoutResult(
                      status -> sink += store.capacitiesExcluding(group).size()));
      System.out.printf(
          "  reading every host's capacity alone:          %,10.0f /s   ratio to raw %5.1fx"
              + " slower%n",
          readAll, raw / readAll);

      for (Ranking ranking : Ranking.values()) {
        PlacingContainerGroup placing = new PlacingContainerGroup(store, new Scheduler(ranking));
        for (String zone : new String[] {null, "zone-2"}) {
          GroupSpec asked = spec.withZone(zone);
          double rate =
              placementsPerSecond(
                  jdbc,
                  groups,
                  perRound,
                  (group, i) ->
                      tx.executeWithoutResult(
                          status -> sink += placing.place(group, asked, null).hostId().length()));
          System.out.printf(
              "  PlacingContainerGroup %-7s %-11s     %,10.0f /s   ratio to raw %5.1fx slower%n",
              ranking.settingName(), zone == null ? "any zone" : zone, rate, raw / rate);
        }
      }
    }
  }

  interface Placing {
    void place(UUID group, int index);
  }

  /** Median placements per second; each round starts from no reservations. */
  static double placementsPerSecond(
      JdbcTemplate jdbc, List<UUID> groups, int perRound, Placing placing) {
    double[] rates = new double[DATABASE_MEASURED_ROUNDS];
    for (int round = 0; round < DATABASE_WARM_UP_ROUNDS + DATABASE_MEASURED_ROUNDS; round++) {
      jdbc.update("delete from placements");
      jdbc.execute("vacuum analyze placements");
      int first = round * perRound;
      long began = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        placing.place(groups.get(first + i), first + i);
      }
      long elapsed = System.nanoTime() - began;
      if (round >= DATABASE_WARM_UP_ROUNDS) {
        rates[round - DATABASE_WARM_UP_ROUNDS] = perRound * 1e9 / elapsed;
      }
    }
    jdbc.update("delete from placements");
    return median(rates);
  }

  /** Container group rows for the placements to refer to (placements.group_id is a foreign key). */
  static List<UUID> seedGroups(JdbcTemplate jdbc, int count) {
    jdbc.update(
        "insert into container_groups (id, subscription_id, resource_group, name, location, tags,"
            + " spec, generation, desired_state, resource_document, created_at, updated_at,"
            + " version) select md5('bench' || i)::uuid, 'bench', 'rg', 'g-' || i, 'local', '{}',"
            + " '{}', 1, 'RUNNING', '{}', now(), now(), 0 from generate_series(1, ?) i",
        count);
    return jdbc.queryForList(
        "select md5('bench' || i)::uuid from generate_series(1, ?) i order by i",
        UUID.class,
        count);
  }

  static GroupSpec spec() {
    var main =
        new ContainerDefinition("main", "berth/busybox:1", List.of(), List.of(), DEMAND, DEMAND);
    return new GroupSpec(List.of(main), RestartPolicy.ALWAYS, "Linux");
  }

  static HikariDataSource pool(EmbeddedPostgres postgres) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.getPostgresDatabase());
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }
}
