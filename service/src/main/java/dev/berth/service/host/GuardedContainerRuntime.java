package dev.berth.service.host;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.HostDescription;
import dev.berth.runtime.ManagedContainer;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host's runtime behind that host's own circuit breaker and bulkhead, so one slow or dead engine
 * never holds the threads that serve the API and the other hosts. The breaker counts only what says
 * "the engine is in trouble" (unreachable, timeouts, 5xx); a missing container or a refused spec is
 * an answer, not a fault.
 */
public final class GuardedContainerRuntime implements ContainerRuntime {

  /**
   * Tuning for Docker rather than the library's defaults (100 calls before a breaker may open, 25
   * concurrent calls): a dead engine is cut off after a handful of failures, and at most a few
   * calls run on one engine at once, because more only queue inside dockerd.
   */
  public record Guards(
      int slidingWindow, int minimumCalls, float failureRatePercent, Duration openFor,
      int maxConcurrentCalls, Duration maxWaitForSlot) {

    public static Guards dockerDefaults() {
      return new Guards(10, 4, 50f, Duration.ofSeconds(15), 4, Duration.ofSeconds(20));
    }
  }

  private final ContainerRuntime delegate;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;

  public GuardedContainerRuntime(String hostId, ContainerRuntime delegate, Guards guards) {
    this.delegate = delegate;
    this.breaker =
        CircuitBreaker.of(
            "host-" + hostId,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(guards.slidingWindow())
                .minimumNumberOfCalls(guards.minimumCalls())
                .failureRateThreshold(guards.failureRatePercent())
                .waitDurationInOpenState(guards.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(GuardedContainerRuntime::isEngineFault)
                .build());
    this.bulkhead =
        Bulkhead.of(
            "host-" + hostId,
            BulkheadConfig.custom()
                .maxConcurrentCalls(guards.maxConcurrentCalls())
                .maxWaitDuration(guards.maxWaitForSlot())
                .build());
  }

  static boolean isEngineFault(Throwable t) {
    return t instanceof RuntimeFailure f && (f.kind() == Kind.HOST_UNREACHABLE || f.kind() == Kind.TRANSIENT);
  }

  /** The breaker's state, for health and the hosts' schedulability. */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  private <T> T guarded(String operation, Supplier<T> call) {
    try {
      return Bulkhead.decorateSupplier(bulkhead, CircuitBreaker.decorateSupplier(breaker, call)).get();
    } catch (CallNotPermittedException open) {
      throw new RuntimeFailure(Kind.HOST_UNREACHABLE, operation + ": host is cut off after repeated failures (circuit open)", open);
    } catch (BulkheadFullException full) {
      throw new RuntimeFailure(Kind.TRANSIENT, operation + ": host is busy (too many calls in flight)", full);
    }
  }

  private void guardedRun(String operation, Runnable call) {
    guarded(operation, () -> {
      call.run();
      return null;
    });
  }

  @Override
  public HostDescription describeHost() {
    return guarded("describe host", delegate::describeHost);
  }

  @Override
  public String create(ContainerSpec spec) {
    return guarded("create", () -> delegate.create(spec));
  }

  @Override
  public void start(String containerId) {
    guardedRun("start", () -> delegate.start(containerId));
  }

  @Override
  public void stop(String containerId, Duration grace) {
    guardedRun("stop", () -> delegate.stop(containerId, grace));
  }

  @Override
  public void remove(String containerId) {
    guardedRun("remove", () -> delegate.remove(containerId));
  }

  @Override
  public Optional<ContainerObservation> inspect(String containerIdOrName) {
    return guarded("inspect", () -> delegate.inspect(containerIdOrName));
  }

  @Override
  public List<ManagedContainer> listManaged(Map<String, String> labels) {
    return guarded("list", () -> delegate.listManaged(labels));
  }
}
