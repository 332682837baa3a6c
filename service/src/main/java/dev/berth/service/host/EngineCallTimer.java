package dev.berth.service.host;

/**
 * Where the time and outcome of each guarded engine call go: Micrometer's {@code
 * berth_docker_call_duration_seconds} in the service, nowhere in tests that do not ask.
 */
@FunctionalInterface
public interface EngineCallTimer {

  EngineCallTimer NONE = (hostId, operation, outcome, nanos) -> {};

  /**
   * @param operation what was asked of the engine ({@code create}, {@code list_containers}, ...)
   * @param outcome {@code ok}, a failure's kind in lower case ({@code not_found}, {@code
   *     host_unreachable}, ...), or {@code circuit_open} when the breaker refused the call
   */
  void record(String hostId, String operation, String outcome, long nanos);
}
