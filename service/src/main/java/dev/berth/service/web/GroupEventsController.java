package dev.berth.service.web;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.FollowingGroups;
import dev.berth.service.containergroup.GroupEventStream;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A group's state changes and events ({@link GroupEventStream}), listed or followed as Server-Sent
 * Events: each event's id is its number in the group's stream, so a follower that reconnects with
 * {@code Last-Event-ID} (or {@code ?after=}) gets exactly what it missed, from any replica. A
 * follow ends, after the last event, once the group is Succeeded, Failed or Stopped, or is gone; a
 * comment line every 15 s keeps idle connections open through proxies. Followers are fed by {@link
 * FollowingGroups} (one read per poll for all of them); each has a queue that a sender drains, so a
 * client that stops reading holds up nobody but itself.
 */
@RestController
public class GroupEventsController {

  static final String PATH =
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
          + "Microsoft.ContainerInstance/containerGroups/{containerGroupName}/events";
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int LIST_LIMIT = 1000;

  /** Open follows per replica; past it 429 (each holds a connection and its write buffer). */
  static final int MAX_FOLLOWERS = 256;

  /** Events a follower may have waiting to be written before the reader hands it no more. */
  private static final int MAX_QUEUED = 1000;

  /** A follow's longest life; the client resumes with Last-Event-ID, as SSE clients do. */
  private static final Duration LIFETIME = Duration.ofMinutes(30);

  private final AtomicInteger following = new AtomicInteger();
  private final Set<Follower> followers = ConcurrentHashMap.newKeySet();

  private final OpenStreams streams;
  private final ContainerGroupStore store;
  private final GroupEventStream events;
  private final FollowingGroups reader;
  private final GroupAccess access;
  private final JsonMapper json;

  /**
   * Writes are blocking (servlet output): a client that stops reading holds its sender until its
   * socket's buffers are full and the write times out; a thread each, so nobody else waits.
   */
  private final ExecutorService senders =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "berth-event-senders");
            t.setDaemon(true);
            return t;
          });

  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "berth-event-keep-alive");
            t.setDaemon(true);
            return t;
          });

  public GroupEventsController(
      ContainerGroupStore store,
      GroupEventStream events,
      FollowingGroups reader,
      GroupValidator validator,
      JsonMapper json,
      OpenStreams streams) {
    this.streams = streams;
    this.store = store;
    this.events = events;
    this.reader = reader;
    this.access = new GroupAccess(validator);
    this.json = json;
    keepAlive.scheduleWithFixedDelay(
        () -> followers.forEach(Follower::keepAlive),
        // Checked thrice as often as it is due, so no quiet stretch lasts much past it.
        KEEP_ALIVE.toMillis() / 3,
        KEEP_ALIVE.toMillis() / 3,
        TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    keepAlive.shutdownNow();
    senders.shutdownNow();
  }

  @GetMapping(
      path = PATH,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  public Object containerGroupsEvents(
      @PathVariable String subscriptionId,
      @PathVariable String resourceGroupName,
      @PathVariable String containerGroupName,
      @RequestParam("api-version") String apiVersion,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(required = false) Long after,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    UUID groupId =
        store
            .find(key)
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName))
            .id();
    long from = cursor(after, lastEventId);
    if (!follow) {
      List<Map<String, Object>> value = new ArrayList<>();
      for (var e : events.after(groupId, from, LIST_LIMIT)) {
        value.add(body(e));
      }
      return new AlwaysPresentFields.EventList(value, null);
    }
    if (ended(groupId) && events.after(groupId, from, 1).isEmpty()) {
      // Nothing more will come: 204 tells an SSE client not to reconnect.
      return ResponseEntity.noContent().build();
    }
    if (following.incrementAndGet() > MAX_FOLLOWERS) {
      following.decrementAndGet();
      return ErrorBodies.tooManyFollows(MAX_FOLLOWERS, "streams", "list");
    }
    SseEmitter emitter = streams.track(new SseEmitter(LIFETIME.toMillis()));
    Follower follower = new Follower(emitter);
    follower.joined(reader.follow(groupId, from, follower));
    return emitter;
  }

  private boolean ended(UUID groupId) {
    return events
        .stateOf(groupId)
        .map(s -> s == GroupState.SUCCEEDED || s == GroupState.FAILED || s == GroupState.STOPPED)
        .orElse(true);
  }

  private static long cursor(Long after, String lastEventId) {
    String given =
        lastEventId != null ? lastEventId.trim() : after == null ? "0" : after.toString();
    try {
      long seq = Long.parseLong(given);
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException notANumber) {
      // refused below
    }
    throw new InvalidRequestException(
        new Violation(
            "InvalidLastEventId",
            "Last-Event-ID (or after) is the id of an event of this stream: a whole number >= 0.",
            lastEventId != null ? "Last-Event-ID" : "after"));
  }

  private Map<String, Object> body(GroupEventStream.Numbered numbered) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", numbered.seq());
    body.putAll(json.convertValue(numbered.event(), Map.class));
    body.values().removeIf(java.util.Objects::isNull);
    return body;
  }

  /** One SSE client: what it was handed waits in its queue until its sender writes it. */
  private final class Follower implements FollowingGroups.Sink {

    private final SseEmitter emitter;
    private final SseQueue<GroupEventStream.Numbered> queue;
    private volatile FollowingGroups.Follow follow;

    Follower(SseEmitter emitter) {
      this.emitter = emitter;
      this.queue =
          new SseQueue<>(
              emitter,
              senders,
              e ->
                  SseEmitter.event()
                      .id(Long.toString(e.seq()))
                      .name(e.event().kind())
                      .data(body(e), MediaType.APPLICATION_JSON),
              this::forget);
      followers.add(this);
    }

    /** Registered with the reader; let go at once if the client left meanwhile. */
    void joined(FollowingGroups.Follow f) {
      follow = f;
      if (queue.over()) {
        f.close();
      }
    }

    @Override
    public boolean ready() {
      return !queue.over() && queue.size() < MAX_QUEUED;
    }

    @Override
    public void take(List<GroupEventStream.Numbered> batch) {
      queue.add(batch);
    }

    @Override
    public void ended() {
      queue.completeAfterQueued();
    }

    void keepAlive() {
      queue.keepAlive("keep-alive", KEEP_ALIVE);
    }

    /** The client went away, the group ended, or the stream's life is over: lets go of it all. */
    private void forget() {
      followers.remove(this);
      following.decrementAndGet();
      streams.forget(emitter);
      FollowingGroups.Follow f = follow;
      if (f != null) {
        f.close();
      }
    }
  }
}
