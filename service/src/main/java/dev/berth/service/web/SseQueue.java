package dev.berth.service.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One Server-Sent-Events client's queue: what it is handed waits here until a sender thread writes
 * it, so whoever hands events (a stream's reader) never waits for a client, and a client that stops
 * reading holds up only the sender writing to it (servlet writes block until the socket's buffers
 * take them, or the write times out). The first end, whichever way it comes (the client gone, the
 * stream over, the emitter's own timeout), runs {@code onEnd} once.
 *
 * @param <T> what the stream's events are
 */
final class SseQueue<T> {

  private static final Logger log = Logger.getLogger(SseQueue.class.getName());

  private record Comment(String text) {}

  private static final Object COMPLETE = new Object();

  private final SseEmitter emitter;
  private final Executor senders;
  private final Function<T, SseEmitter.SseEventBuilder> event;
  private final Runnable onEnd;
  private final Queue<Object> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean over = new AtomicBoolean();
  private volatile long lastSent = System.nanoTime();

  /**
   * @param event the SSE event an item is written as
   * @param onEnd run once, when the stream ends for whatever reason
   */
  SseQueue(
      SseEmitter emitter,
      Executor senders,
      Function<T, SseEmitter.SseEventBuilder> event,
      Runnable onEnd) {
    this.emitter = emitter;
    this.senders = senders;
    this.event = event;
    this.onEnd = onEnd;
    emitter.onCompletion(this::end);
    emitter.onTimeout(
        () -> {
          end();
          emitter.complete();
        });
    emitter.onError(e -> end());
  }

  /** Events handed and not yet written. */
  int size() {
    return size.get();
  }

  boolean over() {
    return over.get();
  }

  /** Queues events to be written in this order. */
  void add(List<T> events) {
    size.addAndGet(events.size());
    queued.addAll(events);
    drain();
  }

  /** Queues a comment line (SSE clients ignore it; proxies see the connection in use). */
  void comment(String text) {
    queued.add(new Comment(text));
    drain();
  }

  /** A comment when nothing was written for {@code quiet}, so idle connections stay open. */
  void keepAlive(String text, Duration quiet) {
    if (System.nanoTime() - lastSent > quiet.toNanos()) {
      comment(text);
    }
  }

  /** Ends the stream once everything queued before has been written. */
  void completeAfterQueued() {
    queued.add(COMPLETE);
    drain();
  }

  /**
   * Ends the stream at once (nothing more is written), without completing the emitter.
   *
   * @return whether this call ended it
   */
  boolean end() {
    if (over.compareAndSet(false, true)) {
      onEnd.run();
      return true;
    }
    return false;
  }

  private void drain() {
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::send);
    }
  }

  @SuppressWarnings("unchecked")
  private void send() {
    try {
      Object next;
      while (!over.get() && (next = queued.poll()) != null) {
        if (next == COMPLETE) {
          end();
          emitter.complete();
        } else if (next instanceof Comment comment) {
          emitter.send(SseEmitter.event().comment(comment.text()));
        } else {
          size.decrementAndGet();
          emitter.send(event.apply((T) next));
        }
        lastSent = System.nanoTime();
      }
    } catch (IOException | IllegalStateException gone) {
      end(); // the client went away (or the emitter is already complete)
    } catch (RuntimeException failed) {
      // An event that could not be written (say, rendered): the stream ends rather than skip it,
      // and the client resumes from the last id it got.
      log.log(Level.WARNING, "a stream ended on an event it could not write", failed);
      if (end()) {
        emitter.completeWithError(failed);
      }
    } finally {
      draining.set(false);
    }
    if (!queued.isEmpty() && !over.get()) {
      drain();
    }
  }
}
