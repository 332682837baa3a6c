package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.server.model.ContainerGroupListResult;
import dev.berth.service.containergroup.ContainerGroupStore.Current;
import dev.berth.service.containergroup.ContainerGroupStore.Revision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renderings are kept by revision: an unchanged group is answered from what was kept, a group whose
 * desired or observed state moved is read and rendered again, a deleted one is left out, and an
 * answer never depends on what the cache still holds.
 */
class GroupViewsTest {

  /** The stored world: each group's current revision. */
  private final Map<UUID, Revision> stored = new HashMap<>();

  private final List<UUID> reads = new ArrayList<>();
  private int renders;

  private GroupViews views(long maxBytes) {
    return new GroupViews(
        ids -> {
          reads.addAll(ids);
          Map<UUID, Current> found = new HashMap<>();
          ids.stream()
              .filter(stored::containsKey)
              .forEach(id -> found.put(id, new Current(null, null, stored.get(id))));
          return found;
        },
        current -> {
          renders++;
          Revision r = current.revision();
          return "{\"id\":\"%s\",\"version\":%d,\"token\":\"%s\"}"
              .formatted(r.id(), r.version(), r.statusToken());
        },
        maxBytes);
  }

  private Revision put(UUID id, long version, long token) {
    Revision revision = new Revision(id, version, Instant.ofEpochSecond(token));
    stored.put(id, revision);
    return revision;
  }

  private static List<String> answers(List<dev.berth.api.server.model.ContainerGroup> groups) {
    return groups.stream().map(g -> ((RenderedGroup) g).json()).toList();
  }

  @Test
  void anUnchangedGroupIsAnsweredFromItsRenderingWithoutReadingIt() {
    GroupViews views = views(1 << 20);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<Revision> page = List.of(put(a, 1, 10), put(b, 1, 20));

    List<String> first = answers(views.of(page));
    List<String> second = answers(views.of(page));

    assertThat(first).hasSize(2).allSatisfy(json -> assertThat(json).contains("\"version\":1"));
    assertThat(second).isEqualTo(first);
    assertThat(reads).containsExactlyInAnyOrder(a, b);
    assertThat(renders).isEqualTo(2);
  }

  @Test
  void aGroupWhoseStatusOrSpecMovedIsReadAndRenderedAgainAloneAndInPageOrder() {
    GroupViews views = views(1 << 20);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    views.of(List.of(put(a, 1, 10), put(b, 1, 20), put(c, 1, 30)));
    reads.clear();

    List<String> answered = answers(views.of(List.of(stored.get(a), put(b, 1, 21), put(c, 2, 30))));

    assertThat(reads).containsExactlyInAnyOrder(b, c);
    assertThat(answered.get(0)).contains(a.toString()).contains("\"version\":1");
    assertThat(answered.get(1))
        .contains(b.toString())
        .contains(Instant.ofEpochSecond(21).toString());
    assertThat(answered.get(2)).contains(c.toString()).contains("\"version\":2");
  }

  @Test
  void aGroupDeletedAfterItsRevisionWasListedIsLeftOut() {
    GroupViews views = views(1 << 20);
    UUID a = UUID.randomUUID();
    UUID gone = UUID.randomUUID();
    Revision listed = put(gone, 1, 10);
    stored.remove(gone);

    assertThat(answers(views.of(List.of(put(a, 1, 10), listed))))
        .singleElement()
        .asString()
        .contains(a.toString());
  }

  @Test
  void aRenderingNewerThanTheListedRevisionIsKeptAtTheRevisionItWasReadAt() {
    GroupViews views = views(1 << 20);
    UUID a = UUID.randomUUID();
    Revision listed = put(a, 1, 10);
    Revision moved = put(a, 1, 11);

    assertThat(answers(views.of(List.of(listed))))
        .singleElement()
        .asString()
        .contains(moved.statusToken().toString());
    reads.clear();
    views.of(List.of(moved));
    assertThat(reads).isEmpty();
  }

  @Test
  void answersStayRightWhenTheCacheCannotHoldThem() {
    GroupViews views = views(1);
    List<Revision> page = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      page.add(put(UUID.randomUUID(), i, i));
    }
    for (int round = 0; round < 3; round++) {
      List<String> answered = answers(views.of(page));
      assertThat(answered).hasSize(50);
      for (int i = 0; i < 50; i++) {
        assertThat(answered.get(i)).contains(page.get(i).id().toString());
      }
    }
  }

  @Test
  void aRenderedGroupIsWrittenIntoAnAnswerAsItIs() {
    // As the API's mapper writes: empty values left out.
    JsonMapper json =
        JsonMapper.builder()
            .changeDefaultPropertyInclusion(
                i ->
                    i.withValueInclusion(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY))
            .build();
    var list =
        new ContainerGroupListResult()
            .value(List.of(new RenderedGroup("{\"name\":\"a\",\"properties\":{\"x\":[1,2]}}")));

    assertThat(json.writeValueAsString(list))
        .isEqualTo("{\"value\":[{\"name\":\"a\",\"properties\":{\"x\":[1,2]}}]}");
  }
}
