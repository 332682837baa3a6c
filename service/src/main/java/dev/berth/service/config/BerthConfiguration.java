package dev.berth.service.config;

import dev.berth.runtime.Isolation;
import dev.berth.service.access.ApiKeys;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.GroupLimits;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartBackoff;
import dev.berth.service.containergroup.RestartingContainerGroup;
import dev.berth.service.containergroup.StartingContainerGroup;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.containergroup.Transactions;
import dev.berth.service.containergroup.WaitingForContainerGroup;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostPool;
import dev.berth.service.host.HostWatcher;
import dev.berth.service.host.LeasedFleet;
import dev.berth.service.host.RegisteringHost;
import dev.berth.service.persistence.JdbcApiKeyStore;
import dev.berth.service.persistence.JdbcGroupMoves;
import dev.berth.service.persistence.JdbcHostRegistry;
import dev.berth.service.persistence.JdbcPlacementStore;
import dev.berth.service.persistence.JdbcRunLogs;
import dev.berth.service.persistence.JpaContainerGroupStore;
import dev.berth.service.persistence.PostgresGroupWakeups;
import dev.berth.service.persistence.SecretCipher;
import dev.berth.service.persistence.SpringTransactions;
import dev.berth.service.reconciliation.DrainingHosts;
import dev.berth.service.reconciliation.LaunchSpecs;
import dev.berth.service.reconciliation.MovingGroups;
import dev.berth.service.reconciliation.OrphanCollector;
import dev.berth.service.reconciliation.ReconcileLoop;
import dev.berth.service.reconciliation.Reconciler;
import dev.berth.service.scheduling.PlacingContainerGroup;
import dev.berth.service.scheduling.Scheduler;
import dev.berth.service.web.AciYaml;
import dev.berth.service.web.AlwaysPresentFields;
import dev.berth.service.web.ApiKeyFilter;
import dev.berth.service.web.RateLimits;
import dev.berth.service.web.RequestIds;
import dev.berth.service.web.WebSettings;
import dev.berth.service.workload.KeepingRunLogs;
import dev.berth.service.workload.ReadingContainerLogs;
import dev.berth.service.workload.RunningCommand;
import dev.berth.service.workload.RunningContainers;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Explicit wiring: domain classes are plain constructors; Spring only assembles them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BerthProperties.class, RateLimitProperties.class})
public class BerthConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  SecretCipher secretCipher(BerthProperties properties) {
    return new SecretCipher(SecretKeys.load(properties));
  }

  @Bean
  JpaContainerGroupStore containerGroupStore(
      dev.berth.service.persistence.ContainerGroupRows rows,
      JdbcTemplate jdbc,
      SecretCipher cipher,
      Clock clock) {
    return JpaContainerGroupStore.create(rows, jdbc, cipher, clock);
  }

  /** Followed events and logs, ended as this replica shuts down (clients resume elsewhere). */
  @Bean
  dev.berth.service.web.OpenStreams openStreams() {
    return new dev.berth.service.web.OpenStreams();
  }

  /** The subscription-wide streams' followers on this replica: one read every 250 ms for all. */
  @Bean
  dev.berth.service.containergroup.FollowingSubscriptions followingSubscriptions(
      dev.berth.service.containergroup.SubscriptionEventStream stream) {
    return new dev.berth.service.containergroup.FollowingSubscriptions(
        stream, java.time.Duration.ofMillis(250));
  }

  /** Single groups' followers on this replica: one read every 250 ms for all of them. */
  @Bean
  dev.berth.service.containergroup.FollowingGroups followingGroups(
      dev.berth.service.containergroup.GroupEventStream stream) {
    return new dev.berth.service.containergroup.FollowingGroups(
        stream, java.time.Duration.ofMillis(250));
  }

  @Bean
  JdbcPlacementStore placementStore(JdbcTemplate jdbc) {
    return new JdbcPlacementStore(jdbc);
  }

  @Bean
  Transactions transactions(PlatformTransactionManager transactionManager) {
    return new SpringTransactions(new TransactionTemplate(transactionManager));
  }

  @Bean
  GroupLimits groupLimits(BerthProperties properties) {
    var limits = properties.limits();
    return new GroupLimits(
        new Resources(
            Math.round(limits.maxCpuPerGroup() * 1000),
            Math.round(limits.maxMemoryInGbPerGroup() * 1024)),
        GroupLimits.aciDefaults().minContainerResources(),
        limits.maxContainersPerGroup(),
        GroupLimits.aciDefaults().maxEnvironmentVariables());
  }

  @Bean
  GroupValidator groupValidator(
      GroupLimits limits, dev.berth.service.volumes.ConfiguredStorageAccounts storageAccounts) {
    return new GroupValidator(limits, storageAccounts);
  }

  @Bean
  Reconciler reconciler(
      ContainerGroupStore store,
      JdbcPlacementStore placements,
      HostPool hosts,
      Transactions transactions,
      BerthProperties properties,
      Clock clock,
      JdbcRunLogs runLogs,
      Installation installation,
      dev.berth.service.metering.RunMetering metering,
      LeasedFleet fleet,
      MovingGroups moving,
      dev.berth.service.volumes.JGitCheckouts gitCheckouts,
      dev.berth.service.volumes.ConfiguredStorageAccounts storageAccounts,
      dev.berth.service.probing.Prober prober,
      dev.berth.service.images.ImagePulls pulls) {
    var isolation = properties.isolation();
    var launch =
        new LaunchSpecs(
            new Isolation(
                isolation.noNewPrivileges(),
                isolation.pidsLimit(),
                isolation.init(),
                isolation.capabilities() == null || isolation.capabilities().isEmpty()
                    ? Isolation.REDUCED_CAPABILITIES
                    : isolation.capabilities(),
                isolation.logMaxSize(),
                isolation.logMaxFiles()),
            installation.id(),
            properties.sandboxImage());
    var reconcile = properties.reconcile();
    return new Reconciler(
        store,
        placements,
        hosts,
        launch,
        transactions,
        clock,
        new RestartBackoff(
            reconcile.backoffInitial(), reconcile.backoffMax(), reconcile.backoffResetAfter()),
        reconcile.stopGrace(),
        new KeepingRunLogs(runLogs, properties.logs().maxBytesPerRun()),
        metering,
        fleet,
        moving,
        gitCheckouts,
        storageAccounts,
        prober,
        pulls);
  }

  @Bean(destroyMethod = "close")
  ReconcileLoop reconcileLoop(
      Reconciler reconciler,
      ContainerGroupStore store,
      HostOwnership ownership,
      HostPool hosts,
      LeasedFleet fleet,
      Installation installation,
      Clock clock,
      dev.berth.service.metering.RunMetering metering,
      BerthProperties properties) {
    return new ReconcileLoop(
        reconciler,
        store,
        new dev.berth.service.reconciliation.SweepingHosts(
            store, hosts, fleet, installation.id(), clock, metering),
        ownership::owned,
        properties.reconcile().sweepInterval(),
        properties.reconcile().workers());
  }

  @Bean
  OrphanCollector orphanCollector(
      ContainerGroupStore store,
      Clock clock,
      BerthProperties properties,
      Installation installation,
      JdbcGroupMoves moves) {
    return new OrphanCollector(
        store, clock, properties.reconcile().orphanGrace(), installation.id(), moves);
  }

  @Bean
  BackgroundWork backgroundWork(
      RegisteringHost registering,
      JdbcHostRegistry registry,
      HostOwnership ownership,
      HostWatcher watcher,
      HostPool pool,
      PostgresGroupWakeups wakeups,
      ReconcileLoop loop,
      OrphanCollector orphans,
      DrainingHosts draining,
      Installation installation,
      BerthProperties properties) {
    return new BackgroundWork(
        FleetConfiguration.configuredHosts(properties),
        registering,
        registry,
        ownership,
        watcher,
        pool,
        wakeups,
        loop,
        orphans,
        draining,
        new dev.berth.service.reconciliation.FollowingHosts(
            pool, installation.id(), loop, properties.reconcile().eventWindow()),
        properties);
  }

  @Bean
  PlacingContainerGroup placingContainerGroup(
      JdbcPlacementStore placements, BerthProperties properties) {
    String setting = properties.scheduling().ranking();
    var ranking =
        dev.berth.service.scheduling.Ranking.named(setting)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "berth.scheduling.ranking is '"
                            + setting
                            + "'; it must be one of: "
                            + dev.berth.service.scheduling.Ranking.settingNames()));
    return new PlacingContainerGroup(placements, new Scheduler(ranking));
  }

  @Bean
  StartingContainerGroup startingContainerGroup(
      ContainerGroupStore store,
      PlacingContainerGroup placing,
      Transactions transactions,
      ReconcileLoop loop,
      Clock clock) {
    return new StartingContainerGroup(store, placing, transactions, loop, clock);
  }

  /** This installation's id, made by the first migration of its database. */
  record Installation(String id) {}

  @Bean
  Installation installation(JdbcTemplate jdbc) {
    return new Installation(jdbc.queryForObject("select id::text from installation", String.class));
  }

  @Bean
  JdbcRunLogs runLogs(JdbcTemplate jdbc) {
    return new JdbcRunLogs(jdbc);
  }

  @Bean
  ReadingContainerLogs readingContainerLogs(
      ContainerGroupStore store, JdbcRunLogs runLogs, HostPool hosts) {
    return new ReadingContainerLogs(store, runLogs, hosts);
  }

  /** Two threads move every log follower between runs; while a container runs, none is used. */
  @Bean
  dev.berth.service.workload.FollowingContainerLogs followingContainerLogs(
      ContainerGroupStore store, ReadingContainerLogs reading, HostPool hosts) {
    return new dev.berth.service.workload.FollowingContainerLogs(
        store,
        reading,
        hosts,
        java.util.concurrent.Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "berth-log-followers");
              t.setDaemon(true);
              return t;
            }));
  }

  @Bean
  RunningCommand runningCommand(
      ContainerGroupStore store, HostPool hosts, BerthProperties properties) {
    return new RunningCommand(
        new RunningContainers(store), hosts, properties.logs().maxExecOutputBytes());
  }

  @Bean
  WaitingForContainerGroup waitingForContainerGroup(ContainerGroupStore store, Clock clock) {
    return new WaitingForContainerGroup(store, clock);
  }

  @Bean
  StoppingContainerGroup stoppingContainerGroup(ContainerGroupStore store, Reconciler reconciler) {
    return new StoppingContainerGroup(store, reconciler::reconcile);
  }

  @Bean
  RestartingContainerGroup restartingContainerGroup(
      ContainerGroupStore store, StartingContainerGroup starting, Reconciler reconciler) {
    return new RestartingContainerGroup(store, starting, reconciler::reconcile);
  }

  @Bean
  CreatingContainerGroup creatingContainerGroup(
      ContainerGroupStore store,
      PlacingContainerGroup placing,
      GroupValidator validator,
      Transactions transactions,
      ReconcileLoop loop,
      Clock clock,
      dev.berth.service.containergroup.QuotaGate quotas) {
    return new CreatingContainerGroup(store, placing, validator, transactions, loop, clock, quotas);
  }

  @Bean
  DeletingContainerGroup deletingContainerGroup(ContainerGroupStore store, Reconciler reconciler) {
    return new DeletingContainerGroup(store, id -> reconciler.reconcile(id).gone());
  }

  @Bean
  ApiKeys apiKeys(JdbcTemplate jdbc, BerthProperties properties, Clock clock) {
    String adminKey = properties.adminKey();
    if (adminKey == null || adminKey.isBlank()) {
      adminKey = ApiKeys.generateAdminKey();
      // Printed once to the console on purpose (never to the log): it is the only way to learn it.
      System.out.println();
      System.out.println(
          "  Berth admin key (generated because BERTH_ADMIN_KEY is not set; valid until this process stops):");
      System.out.println("    " + adminKey);
      System.out.println();
    }
    return new ApiKeys(new JdbcApiKeyStore(jdbc), adminKey, clock);
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, RateLimitProperties limits) {
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(
            new ApiKeyFilter(
                keys, new RateLimits(limits.requestsPerSecond(), limits.adminRequestsPerSecond())));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /**
   * Followed events older than berth.event-retention are removed, once an hour, but for each
   * group's newest, so that a group's numbers never start again, and those a webhook of their
   * subscription has not delivered yet.
   */
  @Bean
  PeriodicWork eventRetention(JdbcTemplate jdbc, BerthProperties properties) {
    Duration retention = properties.eventRetention();
    return new PeriodicWork(
        "berth-event-retention",
        Duration.ofMinutes(1),
        Duration.ofHours(1),
        () -> {
          try {
            jdbc.update(
                // Each group's newest event stays: the next number is taken from it.
                "delete from group_events e where e.at < now() - make_interval(secs => ?)"
                    + " and e.seq < (select max(n.seq) from group_events n"
                    + " where n.group_id = e.group_id)"
                    // Nor what a webhook has still to deliver: a receiver down for days still
                    // gets every event, in order, once it is back.
                    + " and not exists (select 1 from webhooks w"
                    + " where w.subscription_id = e.subscription_id and (e.xid, e.group_id, e.seq)"
                    + " > (w.cursor_xid::text::xid8, w.cursor_group, w.cursor_seq))",
                (double) retention.toSeconds());
          } catch (RuntimeException e) {
            // The database may be away; the next hour tries again.
          }
        });
  }

  /** Before the key check, so that a refused call carries its ids too. */
  @Bean
  FilterRegistrationBean<RequestIds> requestIds() {
    FilterRegistrationBean<RequestIds> registration =
        new FilterRegistrationBean<>(new RequestIds());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /**
   * Tomcat's buffer for socket writes (8 KB by default), allocated for each open connection: a list
   * page goes to the kernel in one write instead of 26 (see berth.socket-write-buffer).
   */
  @Bean
  org.springframework.boot.tomcat.TomcatConnectorCustomizer socketWriteBuffer(
      BerthProperties properties) {
    String bytes = Long.toString(properties.socketWriteBuffer().toBytes());
    return connector -> connector.setProperty("socket.appWriteBufSize", bytes);
  }

  /** ACI's YAML in place of Spring's own YAML converter (see AciYaml). */
  @Bean
  org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer
      aciYaml(JsonMapper json) {
    return converters -> converters.withYamlConverter(new AciYaml(json));
  }

  @Bean
  JsonMapperBuilderCustomizer alwaysPresentFields() {
    return AlwaysPresentFields::register;
  }

  @Bean
  WebSettings webSettings(BerthProperties properties) {
    return new WebSettings(
        properties.location(), properties.dnsZone(), properties.viewCache().toBytes());
  }
}
