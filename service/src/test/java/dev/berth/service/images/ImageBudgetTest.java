package dev.berth.service.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.HostImage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageBudgetTest {

  private static HostImage image(String id, String name, long mb, int usedAt, boolean inUse) {
    return new HostImage(id, List.of(name), mb << 20, Instant.ofEpochSecond(usedAt), inUse);
  }

  private static final List<HostImage> HOST =
      List.of(
          image("old", "a:1", 100, 10, false),
          image("older", "b:1", 100, 5, false),
          image("running", "c:1", 100, 1, true),
          image("sandbox", "berth/busybox:1", 2, 0, false),
          image("recent", "d:1", 100, 50, false));

  @Test
  void withinTheBudgetNothingGoes() {
    assertThat(ImageBudget.toRemove(HOST, 1L << 30, Set.of())).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedGoFirstUntilTheRestFit() {
    // 402 MB on the host, 250 MB allowed: the two oldest unused ones go.
    assertThat(ImageBudget.toRemove(HOST, 250L << 20, Set.of("berth/busybox:1")))
        .containsExactly("older", "old");
  }

  @Test
  void neitherAnImageInUseNorAKeptOneEverGoes() {
    List<String> all = ImageBudget.toRemove(HOST, 0, Set.of("berth/busybox:1", "d:1"));
    assertThat(all).containsExactly("older", "old");
  }

  @Test
  void anImageWithoutANameCanGo() {
    List<HostImage> host =
        List.of(new HostImage("dangling", List.of(), 10 << 20, Instant.EPOCH, false));
    assertThat(ImageBudget.toRemove(host, 0, Set.of())).containsExactly("dangling");
  }

  @Test
  void theCollectorKeepsNamesAsTheEngineListsThem() {
    assertThat(ImageCollector.tagged("nginx")).isEqualTo("nginx:latest");
    assertThat(ImageCollector.tagged("127.0.0.1:5000/a")).isEqualTo("127.0.0.1:5000/a:latest");
    assertThat(ImageCollector.tagged("127.0.0.1:5000/a:2")).isEqualTo("127.0.0.1:5000/a:2");
  }
}
