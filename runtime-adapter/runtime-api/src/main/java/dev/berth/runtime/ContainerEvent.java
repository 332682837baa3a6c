package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a managed container, as the engine's event stream reports it.
 *
 * @param action what happened: {@link #DIED} (its process ended, by itself or because it was
 *     stopped or killed) or {@link #REMOVED}
 * @param attributes the container's labels, plus what the engine adds (its name and image, and
 *     {@code exitCode} when it died)
 * @param at when it happened, by the engine's clock
 */
public record ContainerEvent(
    String containerId, String action, Map<String, String> attributes, Instant at) {

  public static final String DIED = "die";
  public static final String REMOVED = "destroy";

  public ContainerEvent {
    attributes = Map.copyOf(attributes);
  }
}
