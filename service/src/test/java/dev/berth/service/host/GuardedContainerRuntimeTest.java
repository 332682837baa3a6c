package dev.berth.service.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.FakeContainerRuntime;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardedContainerRuntimeTest {

  private static final GuardedContainerRuntime.Guards GUARDS =
      new GuardedContainerRuntime.Guards(
          4, 2, 50f, Duration.ofMinutes(1), 2, 2, Duration.ofMillis(200), Duration.ofMillis(200));

  private final CountDownLatch never = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean down =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void release() {
    never.countDown();
  }

  /** An engine that accepts every call and never answers. */
  private ContainerRuntime hung() {
    return (ContainerRuntime)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {ContainerRuntime.class},
            (proxy, method, args) -> {
              calls.incrementAndGet();
              never.await();
              return null;
            });
  }

  @Test
  void aCallToAnEngineThatNeverAnswersEndsAtItsDeadline() {
    var guarded = new GuardedContainerRuntime("h", hung(), GUARDS);
    assertThatThrownBy(guarded::describeHost)
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.HOST_UNREACHABLE);
              assertThat(f.getMessage()).contains("did not answer");
            });
  }

  @Test
  void repeatedTimeoutsOpenTheBreakerAndLaterCallsDoNotReachTheEngine() {
    var guarded = new GuardedContainerRuntime("h", hung(), GUARDS);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(guarded::describeHost).isInstanceOf(RuntimeFailure.class);
    }
    assertThat(guarded.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    int reached = calls.get();

    assertThatThrownBy(() -> guarded.inspect("x"))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, f -> assertThat(f.getMessage()).contains("circuit open"));
    assertThat(calls.get()).isEqualTo(reached);
  }

  @Test
  void everyCallIsTimedWithItsHostOperationAndOutcome() {
    java.util.List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    var guarded =
        new GuardedContainerRuntime(
            "h",
            hung(),
            GUARDS,
            (host, operation, outcome, nanos) -> {
              assertThat(nanos).isPositive();
              recorded.add(host + " " + operation + " " + outcome);
            });
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(guarded::describeHost).isInstanceOf(RuntimeFailure.class);
    }
    assertThatThrownBy(() -> guarded.inspect("x")).isInstanceOf(RuntimeFailure.class);

    assertThat(recorded)
        .containsExactly(
            "h describe_host host_unreachable",
            "h describe_host host_unreachable",
            "h inspect circuit_open");
  }

  @Test
  void answersThatAreNotFaultsKeepTheBreakerClosed() {
    var guarded =
        new GuardedContainerRuntime("h", new FakeContainerRuntime(Clock.systemUTC()), GUARDS);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> guarded.start("no-such-container"))
          .isInstanceOfSatisfying(
              RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(Kind.NOT_FOUND));
    }
    assertThat(guarded.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    HostDescription host = guarded.describeHost();
    assertThat(host.cpus()).isPositive();
  }
}
