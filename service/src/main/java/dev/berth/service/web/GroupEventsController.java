package dev.berth.service.web;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.GroupEventStream;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * comment line every 15 s keeps idle connections open through proxies.
 */
@RestController
public class GroupEventsController {

  static final String PATH =
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
          + "Microsoft.ContainerInstance/containerGroups/{containerGroupName}/events";
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int BATCH = 200;
  private static final int LIST_LIMIT = 1000;

  /** Open follows per replica; past it 429 (each holds a connection and its write buffer). */
  static final int MAX_FOLLOWERS = 256;

  /** A follow's longest life; the client resumes with Last-Event-ID, as SSE clients do. */
  private static final Duration LIFETIME = Duration.ofMinutes(30);

  private final java.util.concurrent.atomic.AtomicInteger following =
      new java.util.concurrent.atomic.AtomicInteger();

  private final OpenStreams streams;
  private final ContainerGroupStore store;
  private final GroupEventStream events;
  private final GroupAccess access;
  private final JsonMapper json;
  private final ScheduledExecutorService followers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "berth-event-followers");
            t.setDaemon(true);
            return t;
          });

  public GroupEventsController(
      ContainerGroupStore store,
      GroupEventStream events,
      GroupValidator validator,
      JsonMapper json,
      OpenStreams streams) {
    this.streams = streams;
    this.store = store;
    this.events = events;
    this.access = new GroupAccess(validator);
    this.json = json;
  }

  @PreDestroy
  void stop() {
    followers.shutdownNow();
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
    new Follower(groupId, from, emitter).schedule();
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

  /** One follower: sends what is new every POLL, until the group has ended or the client left. */
  private final class Follower implements Runnable {

    private final UUID groupId;
    private final SseEmitter emitter;
    private long last;
    private long quietSince = System.nanoTime();
    private volatile ScheduledFuture<?> task;

    Follower(UUID groupId, long last, SseEmitter emitter) {
      this.groupId = groupId;
      this.last = last;
      this.emitter = emitter;
      emitter.onCompletion(this::cancel);
      emitter.onTimeout(
          () -> {
            cancel();
            emitter.complete();
          });
      emitter.onError(e -> cancel());
    }

    void schedule() {
      task = followers.scheduleWithFixedDelay(this, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final java.util.concurrent.atomic.AtomicBoolean cancelled =
        new java.util.concurrent.atomic.AtomicBoolean();

    private void cancel() {
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
      if (cancelled.compareAndSet(false, true)) {
        following.decrementAndGet();
        streams.forget(emitter);
      }
    }

    @Override
    public void run() {
      try {
        // Whether the group had ended is read before the events, so none written before it ended
        // is left unsent.
        boolean ended = ended(groupId);
        List<GroupEventStream.Numbered> batch;
        do {
          batch = events.after(groupId, last, BATCH);
          for (var e : batch) {
            emitter.send(
                SseEmitter.event()
                    .id(Long.toString(e.seq()))
                    .name(e.event().kind())
                    .data(body(e), MediaType.APPLICATION_JSON));
            last = e.seq();
            quietSince = System.nanoTime();
          }
        } while (batch.size() == BATCH);
        if (ended) {
          cancel();
          emitter.complete();
        } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          quietSince = System.nanoTime();
        }
      } catch (IOException | IllegalStateException gone) {
        // The client went away (or the emitter is already complete).
        cancel();
      } catch (RuntimeException failed) {
        // The database may be away: try again at the next poll; the client keeps its place.
      }
    }
  }
}
