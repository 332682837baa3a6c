package dev.berth.service.config;

import dev.berth.runtime.docker.DockerContainerRuntime;
import dev.berth.runtime.docker.DockerEndpoint;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.Transactions;
import dev.berth.service.host.ChangingHostState;
import dev.berth.service.host.EngineCallTimer;
import dev.berth.service.host.GuardedContainerRuntime;
import dev.berth.service.host.HostDefinition;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostPool;
import dev.berth.service.host.HostWatcher;
import dev.berth.service.host.LeasedFleet;
import dev.berth.service.host.RegisteringHost;
import dev.berth.service.host.RemovingHost;
import dev.berth.service.observability.MicrometerEngineCalls;
import dev.berth.service.persistence.JdbcGroupMoves;
import dev.berth.service.persistence.JdbcHostLeases;
import dev.berth.service.persistence.JdbcHostRegistry;
import dev.berth.service.persistence.JdbcPlacementStore;
import dev.berth.service.persistence.PostgresGroupWakeups;
import dev.berth.service.reconciliation.DrainingHosts;
import dev.berth.service.reconciliation.MovingGroups;
import dev.berth.service.reconciliation.OrphanCollector;
import dev.berth.service.reconciliation.ReconcileLoop;
import dev.berth.service.scheduling.PlacingContainerGroup;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fleet's wiring: hosts in PostgreSQL, their runtimes, this replica's leases, the host watcher,
 * wake-ups between replicas, and moving groups off lost and draining hosts.
 */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

  @Bean
  JdbcHostRegistry hostRegistry(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    return new JdbcHostRegistry(jdbc, new TransactionTemplate(transactions));
  }

  /** Each host's runtime: docker-java behind the host's own deadline, breaker and bulkhead. */
  @Bean(destroyMethod = "close")
  HostPool hostPool(JdbcHostRegistry registry, EngineCallTimer calls) {
    return new HostPool(
        registry,
        host ->
            connect(
                host,
                (endpoint) ->
                    GuardedContainerRuntime.Guards.dockerDefaults(
                        host.responseTimeout(),
                        host.responseTimeout().plus(endpoint.pullTimeout())),
                calls));
  }

  /**
   * A host's docker-java runtime behind a deadline, breaker and bulkhead made by {@code guards}.
   */
  static GuardedContainerRuntime connect(
      HostDefinition host,
      java.util.function.Function<DockerEndpoint, GuardedContainerRuntime.Guards> guards,
      EngineCallTimer calls) {
    var endpoint =
        new DockerEndpoint(
            host.endpoint(),
            host.tlsCertPath(),
            host.connectTimeout(),
            host.responseTimeout(),
            Duration.ofMinutes(5));
    return new GuardedContainerRuntime(
        host.id(), new DockerContainerRuntime(endpoint), guards.apply(endpoint), calls);
  }

  @Bean
  EngineCallTimer engineCallTimer(MeterRegistry registry) {
    return new MicrometerEngineCalls(registry);
  }

  @Bean
  JdbcHostLeases hostLeases(JdbcTemplate jdbc) {
    return new JdbcHostLeases(jdbc);
  }

  /**
   * This replica's share of the fleet. Leases are renewed every {@code lease-renew-interval} and
   * count as held here for two thirds of the lease (Kubernetes: 10 s of 15 s), so this replica
   * stops acting on a host before another may take it.
   */
  @Bean
  HostOwnership hostOwnership(
      JdbcHostLeases leases, BerthProperties properties, ObjectProvider<ReconcileLoop> loop) {
    var hosts = properties.hosts();
    String replica = replicaId(properties.dataDir());
    return new HostOwnership(
        replica,
        leases,
        hosts.leaseDuration(),
        hosts.leaseDuration().multipliedBy(2).dividedBy(3),
        System::nanoTime,
        host -> loop.getObject().hostChanged(host));
  }

  /**
   * This replica's name, kept in its data directory: a replica restarted after a crash takes its
   * own leases back at once instead of waiting for them to lapse (the epoch still grows, so nothing
   * the dead process had in flight can commit).
   */
  private static String replicaId(java.nio.file.Path dataDir) {
    java.nio.file.Path file = dataDir.resolve("replica-id");
    try {
      if (java.nio.file.Files.exists(file)) {
        return java.nio.file.Files.readString(file).trim();
      }
      String name;
      try {
        name = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        name = "berth";
      }
      String id = name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      java.nio.file.Files.createDirectories(dataDir);
      java.nio.file.Files.writeString(file, id);
      return id;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the replica id in " + file, e);
    }
  }

  @Bean(destroyMethod = "close")
  PostgresGroupWakeups groupWakeups(JdbcTemplate jdbc, javax.sql.DataSource dataSource) {
    return new PostgresGroupWakeups(jdbc, dataSource);
  }

  @Bean
  LeasedFleet fleet(
      JdbcHostRegistry registry,
      HostOwnership ownership,
      JdbcHostLeases leases,
      PostgresGroupWakeups wakeups) {
    return new LeasedFleet(registry, ownership, leases, wakeups);
  }

  @Bean
  HostWatcher hostWatcher(
      JdbcHostRegistry registry,
      HostPool pool,
      HostOwnership ownership,
      OrphanCollector orphans,
      ObjectProvider<ReconcileLoop> loop,
      BerthProperties properties) {
    return new HostWatcher(
        registry,
        pool,
        ownership,
        properties.hosts().lostAfter(),
        orphans::collect,
        host -> loop.getObject().hostChanged(host),
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "berth-host-ping");
              t.setDaemon(true);
              return t;
            }));
  }

  @Bean
  RegisteringHost registeringHost(JdbcHostRegistry registry, HostPool pool) {
    return new RegisteringHost(registry, pool);
  }

  @Bean
  ChangingHostState changingHostState(JdbcHostRegistry registry, Clock clock) {
    return new ChangingHostState(registry, clock);
  }

  @Bean
  RemovingHost removingHost(
      JdbcHostRegistry registry, HostPool pool, ObjectProvider<ReconcileLoop> loop) {
    return new RemovingHost(registry, pool, host -> loop.getObject().hostChanged(host));
  }

  /** The configured hosts, as PUT /admin/hosts would register them. */
  static List<HostDefinition> configuredHosts(BerthProperties properties) {
    return properties.hosts().register().stream()
        .map(
            host ->
                new HostDefinition(
                    host.id(),
                    host.endpoint(),
                    host.tlsCertPath(),
                    host.zone(),
                    host.labels(),
                    host.cpuAllocatable(),
                    host.memoryAllocatable(),
                    host.publishAddresses(),
                    host.connectTimeout(),
                    host.responseTimeout()))
        .toList();
  }

  @Bean
  MovingGroups movingGroups(
      ContainerGroupStore store,
      PlacingContainerGroup placing,
      JdbcPlacementStore placements,
      Transactions transactions,
      LeasedFleet fleet,
      dev.berth.service.metering.RunMetering metering,
      Clock clock,
      BerthProperties properties,
      JdbcGroupMoves moves) {
    return new MovingGroups(
        store,
        placing,
        placements,
        transactions,
        fleet,
        metering,
        clock,
        properties.hosts().rescheduleNever(),
        moves);
  }

  @Bean
  JdbcGroupMoves groupMoves(JdbcTemplate jdbc) {
    return new JdbcGroupMoves(jdbc);
  }

  @Bean
  DrainingHosts drainingHosts(
      JdbcHostRegistry registry,
      ContainerGroupStore store,
      JdbcGroupMoves moves,
      MovingGroups moving,
      HostPool pool,
      Clock clock,
      BerthProperties properties) {
    return new DrainingHosts(
        registry,
        store,
        moves,
        moving,
        pool,
        clock,
        properties.reconcile().stopGrace(),
        properties.hosts().drainMinHealthyTime());
  }
}
