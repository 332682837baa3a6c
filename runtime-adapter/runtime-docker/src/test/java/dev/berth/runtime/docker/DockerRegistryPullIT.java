package dev.berth.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ImagePullFailure;
import dev.berth.runtime.ImagePullFailure.Reason;
import dev.berth.runtime.PullProgress;
import dev.berth.runtime.RegistryAuth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pulls from the real registry scripts/test starts (scripts/lib/registry.sh: TLS, htpasswd) into
 * the real engine. Without the registry this test fails: it is part of what CI proves.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DockerRegistryPullIT {

  private static final DockerContainerRuntime RUNTIME =
      new DockerContainerRuntime(
          DockerEndpoint.local(
              System.getenv()
                  .getOrDefault("BERTH_TEST_DOCKER_HOST", "unix:///var/run/docker.sock")));

  private static String registry;
  private static RegistryAuth auth;

  @BeforeAll
  static void registry() {
    registry = System.getenv("BERTH_TEST_REGISTRY");
    assertThat(registry)
        .as("BERTH_TEST_REGISTRY (host:port of the registry scripts/lib/registry.sh starts)")
        .isNotBlank();
    auth =
        new RegistryAuth(
            registry,
            System.getenv("BERTH_TEST_REGISTRY_USER"),
            System.getenv("BERTH_TEST_REGISTRY_PASSWORD"));
    removeAll();
  }

  @AfterAll
  static void close() throws Exception {
    removeAll();
    RUNTIME.close();
  }

  private static void removeAll() {
    for (String image : List.of(large(), registry + "/berth-test/busybox:1")) {
      if (RUNTIME.hasImage(image)) {
        RUNTIME.listImages().stream()
            .filter(i -> i.references().contains(image))
            .forEach(i -> RUNTIME.removeImage(i.id()));
      }
    }
  }

  private static String large() {
    return registry + "/berth-test/large:1";
  }

  @Test
  void aPrivateImageIsPulledWithItsCredentialAndReportsItsBytes() {
    List<PullProgress> seen = new CopyOnWriteArrayList<>();
    RUNTIME.pull(large(), auth, Duration.ofMinutes(2), seen::add);

    assertThat(RUNTIME.hasImage(large())).isTrue();
    assertThat(seen).isNotEmpty();
    PullProgress last = seen.get(seen.size() - 1);
    assertThat(last.totalBytes()).isGreaterThan(20L << 20);
    assertThat(last.currentBytes()).isEqualTo(last.totalBytes());
    assertThat(seen)
        .anySatisfy(p -> assertThat(p.currentBytes()).isPositive().isLessThan(p.totalBytes()));

    String id =
        RUNTIME.listImages().stream()
            .filter(i -> i.references().contains(large()))
            .findFirst()
            .orElseThrow()
            .id();
    RUNTIME.removeImage(id);
    assertThat(RUNTIME.hasImage(large())).isFalse();
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndNoneIsRefused() {
    RegistryAuth wrong = new RegistryAuth(registry, auth.username(), "not-the-password");
    assertThatThrownBy(
            () ->
                RUNTIME.pull(
                    registry + "/berth-test/busybox:1", wrong, Duration.ofMinutes(1), p -> {}))
        .isInstanceOfSatisfying(
            ImagePullFailure.class,
            f -> {
              assertThat(f.reason()).as(f.getMessage()).isEqualTo(Reason.UNAUTHORIZED);
              assertThat(f.getMessage()).doesNotContain("not-the-password");
            });
    // Without a credential the engine falls back from TLS to plain HTTP on 127.0.0.0/8 (an insecure
    // registry by default) and reports the reset connection of that attempt, not the 401.
    assertThatThrownBy(
            () ->
                RUNTIME.pull(
                    registry + "/berth-test/busybox:1", null, Duration.ofMinutes(1), p -> {}))
        .isInstanceOfSatisfying(
            ImagePullFailure.class,
            f ->
                assertThat(f.reason())
                    .as(f.getMessage())
                    .isIn(Reason.UNAUTHORIZED, Reason.UNREACHABLE));
  }

  @Test
  void anUnknownTagIsNotFound() {
    assertThatThrownBy(
            () ->
                RUNTIME.pull(
                    registry + "/berth-test/busybox:no-such-tag",
                    auth,
                    Duration.ofMinutes(1),
                    p -> {}))
        .isInstanceOfSatisfying(
            ImagePullFailure.class,
            f -> assertThat(f.reason()).as(f.getMessage()).isEqualTo(Reason.NOT_FOUND));
  }

  /** Last: the engine may go on with the pull it gave up on behind the scenes. */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void aPullPastItsTimeoutTimesOut() {
    assertThatThrownBy(() -> RUNTIME.pull(large(), auth, Duration.ofMillis(1), p -> {}))
        .isInstanceOfSatisfying(
            ImagePullFailure.class,
            f -> assertThat(f.reason()).as(f.getMessage()).isEqualTo(Reason.TIMED_OUT));
  }
}
