package dev.berth.runtime;

import java.time.Instant;
import java.util.List;

/**
 * One image on a host.
 *
 * @param id the engine's image id ({@code sha256:...})
 * @param references its {@code repository:tag} names (empty for an untagged image)
 * @param sizeBytes its size including the layers it shares with other images
 * @param lastUsed the latest of its creation and the creation of any container made from it
 * @param inUse whether any container on the host, running or not, is made from it
 */
public record HostImage(
    String id, List<String> references, long sizeBytes, Instant lastUsed, boolean inUse) {

  public HostImage {
    references = List.copyOf(references);
  }
}
