package dev.berth.service.config;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.host.HostOwnership;
import dev.berth.service.host.HostPool;
import dev.berth.service.images.ImageCollector;
import dev.berth.service.images.ImagePulls;
import dev.berth.service.images.PullPolicy;
import dev.berth.service.persistence.JdbcHostRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Image pulls (timeout, policy) and the per-host collection of images over the disk budget. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImagesProperties.class)
class ImagesConfiguration {

  private static final Logger log = Logger.getLogger(ImagesConfiguration.class.getName());

  @Bean
  ImagePulls imagePulls(ImagesProperties images, Clock clock) {
    PullPolicy policy =
        PullPolicy.named(images.pullPolicy())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "berth.images.pull-policy is '"
                            + images.pullPolicy()
                            + "'; it must be IfNotPresent or Always"));
    return new ImagePulls(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "berth-image-pull");
              t.setDaemon(true);
              return t;
            }),
        clock,
        images.pullTimeout(),
        policy);
  }

  @Bean
  ImageCollector imageCollector(
      ImagesProperties images,
      BerthProperties properties,
      ContainerGroupStore store,
      ImagePulls pulls) {
    return new ImageCollector(
        images.diskBudget().toBytes(), properties.sandboxImage(), store::imagesOn, pulls);
  }

  @Bean
  PeriodicWork collectingImages(
      ImagesProperties images,
      ImageCollector collector,
      HostOwnership ownership,
      JdbcHostRegistry registry,
      HostPool pool) {
    return new PeriodicWork(
        "berth-image-collector",
        images.collectInterval(),
        images.collectInterval(),
        () -> collect(collector, ownership, registry, pool));
  }

  /**
   * Runs the collection every {@code collect-interval} on the hosts this replica owns and can
   * reach, each host on its own, so that one failing host does not stop the others.
   */
  private static void collect(
      ImageCollector collector, HostOwnership ownership, JdbcHostRegistry registry, HostPool pool) {
    try {
      BackgroundWork.onReachableOwnedHosts(
          ownership, registry, pool, "collecting images", collector::collect);
    } catch (RuntimeException e) {
      log.warning("collecting images failed; trying again: " + e.getMessage());
    }
  }
}
