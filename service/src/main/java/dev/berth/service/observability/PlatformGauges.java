package dev.berth.service.observability;

import dev.berth.service.containergroup.GroupState;
import dev.berth.service.host.HostRegistry;
import dev.berth.service.host.HostState;
import dev.berth.service.host.RegisteredHost;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fleet as gauges, read from PostgreSQL (so every replica exports the same, whoever owns a
 * host) at each {@link #refresh()}: groups by state, and for each host its state, its breaker's
 * state as the owner last recorded it, and CPU and memory allocatable, reserved and free; and how
 * many groups have a container in CrashLoopBackOff. Four queries per refresh, whatever the number
 * of groups: a count by state, a count of crash loops, the hosts and their reservations. A host
 * removed from the registry disappears from the series at the next refresh.
 */
public final class PlatformGauges {

  private static final Logger log = Logger.getLogger(PlatformGauges.class.getName());
  private static final double MIB = 1024 * 1024;

  private final JdbcTemplate jdbc;
  private final HostRegistry hosts;
  private final MultiGauge groups;
  private final java.util.concurrent.atomic.AtomicLong crashLooping =
      new java.util.concurrent.atomic.AtomicLong();
  private final MultiGauge hostState;
  private final MultiGauge breakerState;
  private final List<PerHost> perHost;

  public PlatformGauges(JdbcTemplate jdbc, HostRegistry hosts, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.hosts = hosts;
    this.groups = gauge(registry, "berth.container.groups", null, "Container groups by state");
    io.micrometer.core.instrument.Gauge.builder(
            "berth.container.groups.crash.looping", crashLooping, Number::doubleValue)
        .description("Groups with a container waiting in CrashLoopBackOff")
        .register(registry);
    this.hostState =
        gauge(registry, "berth.host.state", null, "1 for the state each host is in, else 0");
    this.breakerState =
        gauge(
            registry,
            "berth.host.circuit.breaker.state",
            null,
            "1 for the state of each host's circuit breaker (as its owner last recorded), else 0");
    this.perHost =
        List.of(
            new PerHost(
                gauge(registry, "berth.host.container.groups", null, "Groups placed on a host"),
                (h, o) -> o.groups()),
            new PerHost(
                gauge(registry, "berth.host.cpu.allocatable", "cores", "vCPU a host offers"),
                (h, o) -> h.allocatable().milliCpu() / 1000.0),
            new PerHost(
                gauge(registry, "berth.host.cpu.reserved", "cores", "vCPU groups hold on a host"),
                (h, o) -> o.reserved().milliCpu() / 1000.0),
            new PerHost(
                gauge(registry, "berth.host.cpu.free", "cores", "vCPU a host has left"),
                (h, o) -> h.allocatable().minus(o.reserved()).milliCpu() / 1000.0),
            new PerHost(
                gauge(registry, "berth.host.memory.allocatable", "bytes", "Memory a host offers"),
                (h, o) -> h.allocatable().memoryMiB() * MIB),
            new PerHost(
                gauge(registry, "berth.host.memory.reserved", "bytes", "Memory groups hold"),
                (h, o) -> o.reserved().memoryMiB() * MIB),
            new PerHost(
                gauge(registry, "berth.host.memory.free", "bytes", "Memory a host has left"),
                (h, o) -> h.allocatable().minus(o.reserved()).memoryMiB() * MIB));
  }

  private static MultiGauge gauge(
      MeterRegistry registry, String name, String unit, String description) {
    return MultiGauge.builder(name).baseUnit(unit).description(description).register(registry);
  }

  /** Reads the fleet once and replaces every series with what it found. */
  public void refresh() {
    Map<GroupState, Long> byState = new EnumMap<>(GroupState.class);
    for (GroupState state : GroupState.values()) {
      byState.put(state, 0L);
    }
    // A group whose status was never written yet is Pending.
    jdbc.query(
        "select coalesce(s.state, 'PENDING') as state, count(*) as n from container_groups g"
            + " left join group_status s on s.group_id = g.id group by 1",
        rs -> {
          byState.put(GroupState.valueOf(rs.getString("state")), rs.getLong("n"));
        });
    groups.register(
        byState.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey().aciName()), e.getValue()))
            .toList(),
        true);

    Long looping =
        jdbc.queryForObject(
            // The LIKE spares parsing the JSON of every group that is not looping.
            "select count(*) from group_status where containers like '%CrashLoopBackOff%' and"
                + " jsonb_path_exists(containers::jsonb,"
                + " '$[*] ? (@.currentState.detailStatus == \"CrashLoopBackOff\")')",
            Long.class);
    crashLooping.set(looping == null ? 0 : looping);

    List<RegisteredHost> all = hosts.all();
    Map<String, HostRegistry.Occupancy> occupancy = hosts.occupancy();
    List<MultiGauge.Row<?>> states = new ArrayList<>();
    List<MultiGauge.Row<?>> breakers = new ArrayList<>();
    for (RegisteredHost host : all) {
      for (HostState state : HostState.values()) {
        states.add(
            MultiGauge.Row.of(
                Tags.of("host", host.id(), "state", state.apiName()),
                host.state() == state ? 1 : 0));
      }
      String breaker = host.health().breakerState();
      if (breaker != null) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
          breakers.add(
              MultiGauge.Row.of(
                  Tags.of(
                      "host", host.id(), "state", state.name().toLowerCase(java.util.Locale.ROOT)),
                  state.name().equals(breaker) ? 1 : 0));
        }
      }
    }
    hostState.register(states, true);
    breakerState.register(breakers, true);
    for (PerHost p : perHost) {
      p.gauge()
          .register(
              all.stream()
                  .map(
                      h ->
                          MultiGauge.Row.of(
                              Tags.of("host", h.id()),
                              p.value()
                                  .of(
                                      h,
                                      occupancy.getOrDefault(h.id(), HostRegistry.Occupancy.NONE))))
                  .toList(),
              true);
    }
  }

  private interface HostValue {
    double of(RegisteredHost host, HostRegistry.Occupancy occupancy);
  }

  /** A per-host series and how its value follows from the host and what its groups hold. */
  private record PerHost(MultiGauge gauge, HostValue value) {}

  /** {@link #refresh()}, for a timer: a failure is logged and the next refresh tries again. */
  public void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // The database may be away for a while; the series keep their last values until it is back.
      log.log(Level.FINE, "could not refresh the fleet's gauges", e);
    }
  }
}
