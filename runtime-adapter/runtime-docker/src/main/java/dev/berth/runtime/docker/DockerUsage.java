package dev.berth.runtime.docker;

import com.fasterxml.jackson.databind.ObjectReader;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A container's usage from the engine's stats, in one call. docker-java's stats command has no
 * {@code one-shot} flag, and without it the engine waits for a second sample (a second or two per
 * container), so the request goes through docker-java's own transport and its answer is read into
 * docker-java's {@link Statistics}. The engine answers it at its next collection tick (up to a
 * second later, whatever the number of calls waiting), so calls are made many at a time.
 */
final class DockerUsage implements java.io.Closeable {

  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  /**
   * One reader for every answer: docker-java hands out a fresh copy of its mapper on each call, and
   * a fresh mapper builds its deserializers again, which was most of a sample's CPU.
   */
  private static final ObjectReader STATISTICS =
      DockerClientConfig.getDefaultObjectMapper().readerFor(Statistics.class);

  private final DockerHttpClient http;

  DockerUsage(DockerHttpClient http) {
    this.http = http;
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  Optional<ContainerUsage> of(String containerId) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path("/containers/" + containerId + "/stats?stream=false&one-shot=true")
            .build();
    Statistics stats;
    try (DockerHttpClient.Response response = http.execute(request)) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      if (response.getStatusCode() != 200) {
        throw new RuntimeFailure(
            RuntimeFailure.Kind.TRANSIENT,
            "stats of " + containerId + ": HTTP " + response.getStatusCode());
      }
      try (InputStream body = response.getBody()) {
        stats = STATISTICS.readValue(body);
      }
    } catch (NotFoundException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RuntimeFailure(RuntimeFailure.Kind.TRANSIENT, "stats of " + containerId, e);
    }
    // A container that does not run is answered with zero time and empty figures.
    if (stats.getRead() == null
        || stats.getRead().equals(ZERO_TIME)
        || stats.getCpuStats() == null
        || stats.getCpuStats().getCpuUsage() == null
        || stats.getMemoryStats() == null
        || stats.getMemoryStats().getUsage() == null) {
      return Optional.empty();
    }
    long memory = stats.getMemoryStats().getUsage();
    Long receive = null;
    Long transmit = null;
    Map<String, StatisticNetworksConfig> networks = stats.getNetworks();
    if (networks != null && !networks.isEmpty()) {
      receive = 0L;
      transmit = 0L;
      for (StatisticNetworksConfig n : networks.values()) {
        receive += n.getRxBytes() == null ? 0 : n.getRxBytes();
        transmit += n.getTxBytes() == null ? 0 : n.getTxBytes();
      }
    }
    return Optional.of(
        new ContainerUsage(
            Instant.parse(stats.getRead()),
            stats.getCpuStats().getCpuUsage().getTotalUsage() == null
                ? 0
                : stats.getCpuStats().getCpuUsage().getTotalUsage(),
            Math.max(0, memory - inactiveFile(stats.getMemoryStats())),
            memory,
            receive,
            transmit));
  }

  /** cgroup v1 names it total_inactive_file, v2 inactive_file; as docker stats and cAdvisor do. */
  private static long inactiveFile(MemoryStatsConfig memory) {
    if (memory.getStats() == null) {
      return 0;
    }
    Long v1 = memory.getStats().getTotalInactiveFile();
    if (v1 != null) {
      return v1;
    }
    Long v2 = memory.getStats().getInactiveFile();
    return v2 == null ? 0 : v2;
  }
}
