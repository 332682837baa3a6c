package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A named volume carrying Berth's labels, as a host listing shows it.
 *
 * @param createdAt when the engine created the volume, or null when the engine did not say (the
 *     Engine API reports it since version 1.29)
 */
public record ManagedVolume(String name, Map<String, String> labels, Instant createdAt) {

  public ManagedVolume {
    labels = Map.copyOf(labels);
  }
}
