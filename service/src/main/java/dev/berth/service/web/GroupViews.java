package dev.berth.service.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore.Current;
import dev.berth.service.containergroup.ContainerGroupStore.Revision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.core.io.SerializedString;

/**
 * Groups as GET and list answer them, rendered once per stored state. A rendering is kept with the
 * revision it was made from; a reader takes only the revisions from PostgreSQL (one query for a
 * whole page) and answers a group whose revision is unchanged with the kept JSON as it is. Whatever
 * is not kept, or was kept at another revision, is read and rendered again, so nothing depends on
 * this cache being warm, complete or shared between replicas. It is bounded by the size of what it
 * keeps, least recently used out first.
 */
final class GroupViews {

  private record Rendered(Revision revision, SerializedString json) {}

  private final Function<Collection<UUID>, Map<UUID, Current>> read;
  private final Function<Current, String> render;
  private final Cache<UUID, Rendered> rendered;

  /**
   * @param read reads groups with their statuses and the revision each was read at
   * @param render the JSON of a group as the API shows it
   * @param maxBytes about how much memory the kept renderings may take
   */
  GroupViews(
      Function<Collection<UUID>, Map<UUID, Current>> read,
      Function<Current, String> render,
      long maxBytes) {
    this.read = read;
    this.render = render;
    this.rendered =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            // The text and its UTF-8 bytes, each about a byte a character.
            .<UUID, Rendered>weigher((id, r) -> 2 * r.json().charLength() + 128)
            .build();
  }

  /**
   * The groups at {@code revisions}, in their order; one deleted since its revision was read is
   * left out.
   */
  List<ContainerGroup> of(List<Revision> revisions) {
    Map<UUID, SerializedString> answers = new HashMap<>();
    List<UUID> stale = new ArrayList<>();
    for (Revision revision : revisions) {
      Rendered kept = rendered.getIfPresent(revision.id());
      if (kept != null && kept.revision().equals(revision)) {
        answers.put(revision.id(), kept.json());
      } else {
        stale.add(revision.id());
      }
    }
    if (!stale.isEmpty()) {
      for (Current current : read.apply(stale).values()) {
        // Possibly newer than the revision listed; kept at the revision it was read at.
        SerializedString rendering = RenderedGroup.encoded(render.apply(current));
        rendered.put(current.revision().id(), new Rendered(current.revision(), rendering));
        answers.put(current.revision().id(), rendering);
      }
    }
    List<ContainerGroup> groups = new ArrayList<>(revisions.size());
    for (Revision revision : revisions) {
      SerializedString answer = answers.get(revision.id());
      if (answer != null) {
        groups.add(new RenderedGroup(answer));
      }
    }
    return groups;
  }
}
