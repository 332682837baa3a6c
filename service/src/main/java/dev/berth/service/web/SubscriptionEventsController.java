package dev.berth.service.web;

import dev.berth.service.containergroup.FollowingSubscriptions;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.SubscriptionEventStream;
import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import dev.berth.service.containergroup.Violation;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every group's events in a subscription ({@link SubscriptionEventStream}), listed or followed as
 * Server-Sent Events. Followers are fed by {@link FollowingSubscriptions} (one read per poll for
 * all of them); each has a queue that a few sender threads drain, so a slow client holds up nobody
 * but itself, and one that falls {@link #MAX_QUEUED} events behind is disconnected (it resumes with
 * Last-Event-ID and misses nothing).
 */
@RestController
public class SubscriptionEventsController {

  static final String PATH =
      "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerInstance/events";
  private static final int LIST_LIMIT = 1000;
  static final int MAX_FOLLOWERS = 1024;
  static final int MAX_QUEUED = 10_000;
  private static final Duration LIFETIME = Duration.ofMinutes(30);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final SubscriptionEventStream stream;
  private final FollowingSubscriptions following;
  private final JsonMapper json;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Follower> followers = ConcurrentHashMap.newKeySet();

  /**
   * Writes are blocking (servlet output): a client that stops reading holds its sender until its
   * socket's buffers are full and the write times out, so there are enough for a few of those.
   */
  private final ExecutorService senders =
      Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "berth-subscription-senders");
            t.setDaemon(true);
            return t;
          });

  /** Catch-ups, each waiting on its own client's pace. */
  private final ExecutorService catchUps = daemons("berth-subscription-catch-up");

  /** Completes dropped streams (a completion waits for a write in progress). */
  private final ExecutorService closer = daemons("berth-subscription-closer");

  private static ExecutorService daemons(String name) {
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "berth-subscription-keep-alive");
            t.setDaemon(true);
            return t;
          });

  private final OpenStreams streams;

  public SubscriptionEventsController(
      SubscriptionEventStream stream,
      FollowingSubscriptions following,
      JsonMapper json,
      OpenStreams streams) {
    this.streams = streams;
    this.stream = stream;
    this.following = following;
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
    catchUps.shutdownNow();
    closer.shutdownNow();
  }

  @GetMapping(
      path = PATH,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  public Object subscriptionEvents(
      @PathVariable String subscriptionId,
      @RequestParam("api-version") String apiVersion,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(required = false) String after,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      HttpServletRequest request) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    String subscription = subscriptionId.toLowerCase(Locale.ROOT);
    Position from = cursor(after, lastEventId);
    if (!follow) {
      List<Streamed> page =
          stream.after(subscription, from == null ? Position.START : from, null, LIST_LIMIT);
      String next =
          page.size() < LIST_LIMIT
              ? null
              : ServletUriComponentsBuilder.fromRequest(request)
                  .replaceQueryParam("after", page.get(page.size() - 1).position().toString())
                  .build()
                  .toUriString();
      return new AlwaysPresentFields.EventList(page.stream().map(this::body).toList(), next);
    }
    if (open.incrementAndGet() > MAX_FOLLOWERS) {
      open.decrementAndGet();
      return ErrorBodies.tooManyFollows(MAX_FOLLOWERS, "subscription streams", "list");
    }
    SseEmitter emitter = streams.track(new SseEmitter(LIFETIME.toMillis()));
    Follower follower = new Follower(emitter);
    // Catching up may read days of events: on a worker, once the answer is under way, at the
    // pace the client reads them (take() waits while it is behind); then it joins the reader.
    catchUps.execute(
        () -> {
          try {
            follower.catchingUp = Thread.currentThread();
            follower.joined(following.follow(subscription, from, follower));
          } catch (RuntimeException e) {
            // The database may be away: the stream ends and the client resumes from its id.
            follower.drop();
          }
        });
    return emitter;
  }

  private static Position cursor(String after, String lastEventId) {
    String given = lastEventId != null ? lastEventId : after;
    if (given == null) {
      return null;
    }
    Position p = Position.parse(given);
    if (p == null) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidLastEventId",
              "Last-Event-ID (or after) is the id of an event of this stream, as the stream gave"
                  + " it (such as 1234.<group id>.5).",
              lastEventId != null ? "Last-Event-ID" : "after"));
    }
    return p;
  }

  private Map<String, Object> body(Streamed placed) {
    return dev.berth.service.web.SubscriptionEventBodies.body(placed, json);
  }

  /** One SSE client: what it was handed waits in its queue until a sender writes it. */
  private final class Follower implements FollowingSubscriptions.Sink {

    private final SseEmitter emitter;
    private final SseQueue<Streamed> queue;
    private volatile FollowingSubscriptions.Follow follow;

    /**
     * The worker catching it up, until it has joined the reader; only it may wait for the client
     * (never the reader).
     */
    private volatile Thread catchingUp;

    /** Dropped by the reader, which lets go of it itself. */
    private volatile boolean dropped;

    Follower(SseEmitter emitter) {
      this.emitter = emitter;
      this.queue =
          new SseQueue<>(
              emitter,
              senders,
              next ->
                  SseEmitter.event()
                      .id(next.position().toString())
                      .name(next.event().kind())
                      .data(body(next), MediaType.APPLICATION_JSON),
              this::forget);
      followers.add(this);
      // A first comment at once: the answer's headers go out now, so the client knows it follows
      // (and from when) before the first event, which may be long in coming.
      queue.comment("following");
    }

    void joined(FollowingSubscriptions.Follow f) {
      follow = f;
      catchingUp = null;
      if (queue.over()) {
        f.close();
      }
    }

    @Override
    public boolean take(List<Streamed> events) {
      if (Thread.currentThread() == catchingUp) {
        // Catching up, on its own worker: wait for the client to read what it has.
        while (queue.size() > MAX_QUEUED / 2 && !queue.over()) {
          LockSupport.parkNanos(5_000_000);
        }
      } else if (queue.size() + events.size() > MAX_QUEUED) {
        // Too far behind, on the reader's thread, which waits for nobody: dropped (the reader
        // lets go of it), it reconnects with Last-Event-ID and catches up from PostgreSQL.
        drop();
        return false;
      }
      if (queue.over()) {
        return false;
      }
      queue.add(events);
      return true;
    }

    /**
     * Ends the stream without touching the reader (which may be the caller): the emitter is
     * completed on another thread, as completing waits for a write to this client in progress.
     */
    void drop() {
      dropped = true;
      if (queue.end()) {
        closer.execute(
            () -> {
              try {
                emitter.complete();
              } catch (RuntimeException alreadyOver) {
                // It ended meanwhile.
              }
            });
      }
    }

    void keepAlive() {
      queue.keepAlive("following", KEEP_ALIVE);
    }

    /** The stream is over, whichever way: lets go of the reader too, unless it dropped it. */
    private void forget() {
      streams.forget(emitter);
      followers.remove(this);
      open.decrementAndGet();
      FollowingSubscriptions.Follow f = follow;
      if (f != null && !dropped) {
        f.close();
      }
    }
  }
}
