package dev.berth.service.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.ImagePullFailure;
import dev.berth.runtime.PullProgress;
import dev.berth.runtime.RegistryAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pulls run off the caller's thread (here: when the test says), once per host and image. */
class ImagePullsTest {

  private final List<Runnable> queued = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final FakeContainerRuntime engine = new FakeContainerRuntime(clock);

  private ImagePulls pulls(PullPolicy policy) {
    return new ImagePulls(queued::add, clock, Duration.ofMinutes(1), policy);
  }

  private void runQueued() {
    List<Runnable> now = List.copyOf(queued);
    queued.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void anAbsentImageIsPulledOncePerHostWhoeverAsks() {
    engine.pullable("127.0.0.1:5000/app:1");
    ImagePulls pulls = pulls(PullPolicy.IF_NOT_PRESENT);

    var first = pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", null, false);
    var second = pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", null, false);

    assertThat(first).isEqualTo(new ImagePulls.Pulling(PullProgress.NONE, true));
    assertThat(second).isEqualTo(new ImagePulls.Pulling(PullProgress.NONE, false));
    assertThat(queued).hasSize(1);
    assertThat(pulls.inFlight("h1", List.of("127.0.0.1:5000/app:1"))).isTrue();
    assertThat(pulls.inFlight("h2", List.of("127.0.0.1:5000/app:1"))).isFalse();

    runQueued();

    var done = pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", null, false);
    assertThat(done).isInstanceOf(ImagePulls.Ready.class);
    assertThat(((ImagePulls.Ready) done).pull().progress().totalBytes()).isEqualTo(1 << 20);
    assertThat(pulls.inFlight("h1", List.of("127.0.0.1:5000/app:1"))).isFalse();
  }

  @Test
  void anImageOnTheHostIsNotPulledAndIsLookedForOnlyOnce() {
    ImagePulls pulls = pulls(PullPolicy.IF_NOT_PRESENT);
    assertThat(pulls.ensure(engine, "h1", "berth/busybox:1", null, false))
        .isEqualTo(new ImagePulls.Ready(null));
    engine.setReachable(false);
    // Known to be there: no engine call (an unreachable engine would fail one).
    assertThat(pulls.ensure(engine, "h1", "berth/busybox:1", null, false))
        .isEqualTo(new ImagePulls.Ready(null));
    assertThat(queued).isEmpty();
  }

  @Test
  void aLatestTagOrTheAlwaysPolicyPullsAgainButNeverTheSandbox() {
    assertThat(pulls(PullPolicy.IF_NOT_PRESENT).ensure(engine, "h1", "berth/busybox", null, false))
        .isInstanceOf(ImagePulls.Pulling.class);
    assertThat(pulls(PullPolicy.ALWAYS).ensure(engine, "h1", "berth/busybox:1", null, false))
        .isInstanceOf(ImagePulls.Pulling.class);
    assertThat(pulls(PullPolicy.ALWAYS).ensure(engine, "h1", "berth/busybox:1", null, true))
        .isEqualTo(new ImagePulls.Ready(null));
  }

  @Test
  void aRefusedCredentialIsReportedAndAnotherCredentialPullsOnItsOwn() {
    engine.pullable("127.0.0.1:5000/app:1");
    engine.requireCredential("127.0.0.1:5000", "u", "right");
    ImagePulls pulls = pulls(PullPolicy.IF_NOT_PRESENT);
    RegistryAuth wrong = new RegistryAuth("127.0.0.1:5000", "u", "wrong");
    RegistryAuth right = new RegistryAuth("127.0.0.1:5000", "u", "right");

    pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", wrong, false);
    pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", right, false);
    assertThat(queued).hasSize(2);
    runQueued();

    var refused = pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", wrong, false);
    assertThat(refused).isInstanceOf(ImagePulls.Failed.class);
    assertThat(((ImagePullFailure) ((ImagePulls.Failed) refused).failure()).reason())
        .isEqualTo(ImagePullFailure.Reason.UNAUTHORIZED);
    assertThat(pulls.ensure(engine, "h1", "127.0.0.1:5000/app:1", right, false))
        .isInstanceOf(ImagePulls.Ready.class);
  }

  @Test
  void eachCauseHasItsOwnCode() {
    for (var reason : ImagePullFailure.Reason.values()) {
      var described =
          PullFailures.describe(
              new ImagePullFailure(reason, "engine says so", null), "127.0.0.1:1/a:1", true);
      assertThat(described.text()).startsWith(described.code() + ": ").contains("127.0.0.1:1");
    }
    assertThat(
            List.of(ImagePullFailure.Reason.values()).stream()
                .map(r -> PullFailures.describe(new ImagePullFailure(r, "x", null), "a:1", true))
                .map(PullFailures.Described::code)
                .distinct())
        .containsExactly(
            "ImageNotFound",
            "ImagePullUnauthorized",
            "RegistryUnreachable",
            "ImagePullTimedOut",
            "InaccessibleImage");
  }
}
