package dev.berth.service.web;

import dev.berth.api.server.ContainersApi;
import dev.berth.runtime.LogLine;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.workload.FollowingContainerLogs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code logs?follow=true}: a container's output as it is written ({@link FollowingContainerLogs}),
 * as chunked text or, on {@code Accept: text/event-stream}, as Server-Sent Events whose ids are the
 * engine's timestamps, so that a client reconnecting with {@code Last-Event-ID}, to any replica,
 * goes on after the last line it got. Without follow the same path is {@link
 * ContainersController}'s.
 */
@RestController
public class ContainerLogFollowController {

  /** Open follows per replica; past it 429 (each holds a connection and an engine stream). */
  static final int MAX_FOLLOWERS = 256;

  /** A follow's longest life; SSE clients go on with Last-Event-ID. */
  private static final Duration LIFETIME = Duration.ofMinutes(30);

  private static final MediaType TEXT =
      new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

  private final FollowingContainerLogs logs;
  private final GroupAccess access;
  private final AtomicInteger following = new AtomicInteger();

  private final OpenStreams streams;

  public ContainerLogFollowController(
      FollowingContainerLogs logs, GroupValidator validator, OpenStreams streams) {
    this.logs = logs;
    this.access = new GroupAccess(validator);
    this.streams = streams;
  }

  @GetMapping(
      path = ContainersApi.PATH_CONTAINERS_LIST_LOGS,
      params = {"follow", "follow!=false"})
  public Object containersFollowLogs(
      @PathVariable String subscriptionId,
      @PathVariable String resourceGroupName,
      @PathVariable String containerGroupName,
      @PathVariable String containerName,
      @RequestParam("api-version") String apiVersion,
      @RequestParam boolean follow,
      @RequestParam(required = false) Integer tail,
      @RequestParam(required = false) Boolean timestamps,
      @RequestHeader(name = "Accept", required = false) String accept,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    if (tail != null && tail < 0) {
      throw new InvalidRequestException(
          new Violation("InvalidParameter", "tail must be 0 or more.", "tail"));
    }
    Instant after = cursor(lastEventId);
    boolean events = accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE);
    if (after != null && logs.nothingAfter(key, containerName, after)) {
      // The group has ended and everything was sent: 204 tells an SSE client not to reconnect.
      return ResponseEntity.noContent().build();
    }
    if (following.incrementAndGet() > MAX_FOLLOWERS) {
      following.decrementAndGet();
      return ErrorBodies.tooManyFollows(MAX_FOLLOWERS, "logs", "read them");
    }
    ResponseBodyEmitter emitter =
        streams.track(
            events
                ? new SseEmitter(LIFETIME.toMillis())
                : new ResponseBodyEmitter(LIFETIME.toMillis()));
    boolean stamped = Boolean.TRUE.equals(timestamps);
    FollowingContainerLogs.Sink sink =
        new FollowingContainerLogs.Sink() {
          @Override
          public void line(LogLine line) throws IOException {
            if (emitter instanceof SseEmitter sse) {
              sse.send(
                  SseEmitter.event()
                      .id(line.time().toString())
                      .name(line.stream() == LogLine.Stream.STDERR ? "stderr" : "stdout")
                      .data(line.text().replace('\r', ' '), MediaType.TEXT_PLAIN));
            } else {
              emitter.send((stamped ? line.time() + " " : "") + line.text() + "\n", TEXT);
            }
          }

          @Override
          public void end(boolean groupEnded) {
            following.decrementAndGet();
            // Here too: a follow that ends before Spring took the emitter up never calls back.
            streams.forget(emitter);
            if (groupEnded && emitter instanceof SseEmitter sse) {
              try {
                // Tells the client that nothing more will come, unlike a stream that broke.
                sse.send(SseEmitter.event().name("end").data("ended", MediaType.TEXT_PLAIN));
              } catch (IOException | IllegalStateException gone) {
                // Completed below either way.
              }
            }
            emitter.complete();
          }
        };
    FollowingContainerLogs.Follow running;
    try {
      running =
          logs.follow(key, containerName, after, tail, sink)
              .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    } catch (RuntimeException refused) {
      following.decrementAndGet();
      streams.forget(emitter);
      throw refused;
    }
    emitter.onCompletion(
        () -> {
          streams.forget(emitter);
          running.close();
        });
    emitter.onTimeout(running::close);
    emitter.onError(e -> running.close());
    return ResponseEntity.ok()
        .contentType(events ? MediaType.TEXT_EVENT_STREAM : TEXT)
        .header("Cache-Control", "no-cache")
        .body(emitter);
  }

  private static Instant cursor(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(lastEventId.trim());
    } catch (DateTimeParseException notATime) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidLastEventId",
              "Last-Event-ID is the id of a line of this stream: the engine's RFC 3339 time of it.",
              "Last-Event-ID"));
    }
  }
}
