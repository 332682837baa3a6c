package dev.berth.service.config;

import dev.berth.service.host.GuardedContainerRuntime;
import dev.berth.service.host.HostPool;
import dev.berth.service.host.LeasedFleet;
import dev.berth.service.persistence.JdbcHostRegistry;
import dev.berth.service.probing.EngineProbeChecks;
import dev.berth.service.probing.ProbeLanes;
import dev.berth.service.probing.Prober;
import dev.berth.service.reconciliation.ReconcileLoop;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Liveness and readiness probes: run by the replica that owns a host, through connections of their
 * own to its engine (their own breaker, bulkhead and deadlines, so a busy probe never takes a call
 * the reconciler needs), reporting to the group's next pass, which they wake.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProbeProperties.class)
class ProbeConfiguration {

  @Bean(destroyMethod = "close")
  Prober prober(
      JdbcHostRegistry registry,
      LeasedFleet fleet,
      Clock clock,
      ObjectProvider<ReconcileLoop> loop,
      ProbeProperties properties,
      dev.berth.service.host.EngineCallTimer calls) {
    HostPool probeConnections =
        new HostPool(
            registry,
            host ->
                FleetConfiguration.connect(
                    host,
                    endpoint ->
                        new GuardedContainerRuntime.Guards(
                            10,
                            4,
                            50f,
                            java.time.Duration.ofSeconds(15),
                            properties.workersPerHost(),
                            properties.queuePerHost(),
                            host.responseTimeout(),
                            host.responseTimeout()),
                    calls));
    ProbeLanes lanes =
        new ProbeLanes(properties.tick(), properties.workersPerHost(), properties.queuePerHost()) {
          @Override
          public void close() {
            super.close();
            probeConnections.close();
          }
        };
    return new Prober(
        new EngineProbeChecks(probeConnections),
        clock,
        fleet::owns,
        group -> loop.getObject().groupChanged(group),
        lanes);
  }
}
