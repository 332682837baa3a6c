package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every Berth container on several engines, read by its ownership labels (runtime-api's {@code
 * Labels}) straight from each engine, so a test can check the fleet's one rule: no group ever has
 * two running copies. Each engine gets a short deadline: a stopped engine is reported as
 * unanswerable instead of holding the test.
 */
final class EngineScan {

  static final String SANDBOX = "_sandbox";
  private static final Duration PER_ENGINE = Duration.ofSeconds(3);

  /** One Berth container as an engine reports it. */
  record Copy(
      String engine,
      String containerId,
      String subscription,
      String groupName,
      String groupId,
      String container,
      long generation,
      String state) {

    boolean running() {
      return "running".equals(state);
    }

    boolean sandbox() {
      return SANDBOX.equals(container);
    }
  }

  /** What one scan saw: the containers of the engines that answered, and those that did not. */
  record Seen(List<Copy> copies, Set<String> unanswered) {

    /**
     * Running non-sandbox containers by group id + container name, where there is more than one.
     */
    Map<String, List<Copy>> runningTwice() {
      return copies.stream()
          .filter(c -> c.running() && !c.sandbox())
          .collect(
              Collectors.groupingBy(
                  c -> c.groupId() + "/" + c.container(), LinkedHashMap::new, Collectors.toList()))
          .entrySet()
          .stream()
          .filter(e -> e.getValue().size() > 1)
          .collect(
              Collectors.toMap(
                  Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The running non-sandbox copies of one group (by subscription and name). */
    List<Copy> running(String subscription, String groupName) {
      return of(subscription, groupName).stream().filter(c -> c.running() && !c.sandbox()).toList();
    }

    /** Every container (sandbox included, any state) of one group. */
    List<Copy> of(String subscription, String groupName) {
      return copies.stream()
          .filter(c -> c.subscription().equals(subscription) && c.groupName().equals(groupName))
          .toList();
    }

    /** The engines on which the group has a running non-sandbox container. */
    Set<String> enginesRunning(String subscription, String groupName) {
      return running(subscription, groupName).stream()
          .map(Copy::engine)
          .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Fails naming every group that runs twice. */
    Seen assertNoGroupRunsTwice() {
      assertThat(runningTwice()).as("groups with two running copies (%s)", this).isEmpty();
      return this;
    }

    @Override
    public String toString() {
      return copies.stream()
              .map(
                  c ->
                      c.engine()
                          + ":"
                          + c.groupName()
                          + "/"
                          + c.container()
                          + "@"
                          + c.generation()
                          + "="
                          + c.state())
              .collect(Collectors.joining(", ", "[", "]"))
          + (unanswered.isEmpty() ? "" : " unanswered " + unanswered);
    }
  }

  private final Map<String, String> engines;
  private final Set<String> subscriptions;

  /** A scan of the local engine and two extra ones, for the groups of {@code subscription}. */
  static EngineScan localAnd(Dockerd first, Dockerd second, String subscription) {
    return new EngineScan(
        Map.of(
            Hosts.LOCAL,
            Hosts.LOCAL_ENDPOINT,
            first.name(),
            first.endpoint(),
            second.name(),
            second.endpoint()),
        Set.of(subscription));
  }

  /**
   * @param engines engine name (as Berth's host id) to endpoint
   * @param subscriptions only containers of these subscriptions count (the default engine is shared
   *     with every other test and Berth process on this machine)
   */
  EngineScan(Map<String, String> engines, Set<String> subscriptions) {
    this.engines = new LinkedHashMap<>(engines);
    this.subscriptions = Set.copyOf(subscriptions);
  }

  Seen scan() {
    List<Copy> copies = new ArrayList<>();
    Set<String> unanswered = new LinkedHashSet<>();
    for (var engine : engines.entrySet()) {
      try {
        JsonNode containers =
            new EngineSocket(engine.getValue(), PER_ENGINE)
                .containersLabelled("dev.berth.managed", "true");
        for (JsonNode c : containers) {
          Copy copy = copyOf(engine.getKey(), c);
          if (subscriptions.contains(copy.subscription())) {
            copies.add(copy);
          }
        }
      } catch (IOException notAnswering) {
        unanswered.add(engine.getKey());
      }
    }
    return new Seen(List.copyOf(copies), Set.copyOf(unanswered));
  }

  /** Scans and fails if any group runs twice on the engines that answered. */
  Seen assertNoGroupRunsTwice() {
    return scan().assertNoGroupRunsTwice();
  }

  private static Copy copyOf(String engine, JsonNode c) {
    JsonNode labels = c.get("Labels");
    return new Copy(
        engine,
        c.get("Id").asText(),
        labels.path("dev.berth.subscription").asText(""),
        labels.path("dev.berth.group-name").asText(""),
        labels.path("dev.berth.group-id").asText(""),
        labels.path("dev.berth.container").asText(""),
        labels.path("dev.berth.generation").asLong(-1),
        c.get("State").asText());
  }
}
