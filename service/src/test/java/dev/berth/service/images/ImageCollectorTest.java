package dev.berth.service.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ContainerResources;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.HostImage;
import dev.berth.runtime.Isolation;
import dev.berth.runtime.Labels;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A tiny budget on a host with images of every kind: only the unused, unnamed-by-groups go. */
class ImageCollectorTest {

  private final MovingClock clock = new MovingClock();
  private final FakeContainerRuntime engine = new FakeContainerRuntime(clock);
  private final ImagePulls pulls =
      new ImagePulls(Runnable::run, clock, Duration.ofMinutes(1), PullPolicy.IF_NOT_PRESENT);

  private void pull(String image) {
    engine.pullable(image);
    clock.tick();
    engine.pull(image, null, Duration.ofMinutes(1), p -> {});
  }

  @Test
  void theLeastRecentlyUsedUnusedImagesGoUntilTheRestFit() {
    pull("r.io/sandbox:1");
    pull("r.io/oldest:1");
    pull("r.io/older:1");
    pull("r.io/named-by-a-group:1");
    pull("r.io/running:1");
    pull("r.io/newest:1");
    engine.create(
        new ContainerSpec(
            "c1",
            "r.io/running:1",
            List.of("sleep", "60"),
            Map.of(),
            Map.of(Labels.MANAGED, "true"),
            new ContainerResources(100_000_000L, 64L << 20),
            Isolation.hardenedDefaults()));
    // Six images of 1 MiB each; room for four.
    ImageCollector collector =
        new ImageCollector(
            4L << 20, "r.io/sandbox:1", host -> Set.of("r.io/named-by-a-group:1"), pulls);

    List<String> removed = collector.collect("h1", engine);

    assertThat(engine.listImages())
        .extracting(i -> i.references().get(0))
        .containsExactlyInAnyOrder(
            "r.io/sandbox:1", "r.io/named-by-a-group:1", "r.io/running:1", "r.io/newest:1");
    assertThat(removed).hasSize(2);
    assertThat(engine.hasImage("r.io/oldest:1")).isFalse();
    // Level-triggered: a second run finds nothing more to do.
    assertThat(collector.collect("h1", engine)).isEmpty();
  }

  @Test
  void withinTheBudgetNothingGoes() {
    pull("r.io/a:1");
    ImageCollector collector =
        new ImageCollector(20L << 30, "r.io/sandbox:1", h -> Set.of(), pulls);
    assertThat(collector.collect("h1", engine)).isEmpty();
    assertThat(engine.listImages()).extracting(HostImage::id).hasSize(1);
  }

  /** A clock a test moves on by a second per pull, so that every image has its own last use. */
  private static final class MovingClock extends java.time.Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void tick() {
      now = now.plusSeconds(1);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
