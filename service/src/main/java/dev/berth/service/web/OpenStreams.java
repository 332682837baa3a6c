package dev.berth.service.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The streams this replica serves (followed events and logs), ended when it shuts down. They are
 * stopped before the web server's graceful shutdown (a later phase than its), which would otherwise
 * wait its whole timeout for streams that do not end by themselves; each client then resumes with
 * Last-Event-ID on another replica, missing nothing.
 */
public final class OpenStreams implements SmartLifecycle {

  private final Set<ResponseBodyEmitter> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  /** Tracks a stream until {@link #forget}; one opened while stopping is ended at once. */
  public <T extends ResponseBodyEmitter> T track(T emitter) {
    open.add(emitter);
    if (!running) {
      end(emitter);
    }
    return emitter;
  }

  /** The stream has ended. */
  public void forget(ResponseBodyEmitter emitter) {
    open.remove(emitter);
  }

  private void end(ResponseBodyEmitter emitter) {
    open.remove(emitter);
    try {
      emitter.complete();
    } catch (RuntimeException alreadyOver) {
      // It ended meanwhile.
    }
  }

  @Override
  public void start() {
    running = true;
  }

  /** How long stopping waits for streams whose last write is stuck on a client. */
  private static final long STOP_WAIT_MILLIS = 5_000;

  @Override
  public void stop() {
    running = false;
    // A completion waits for a write in progress; one client that stopped reading must not hold
    // up the others, nor the shutdown for longer than STOP_WAIT_MILLIS.
    var ending =
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "berth-streams-ending");
              t.setDaemon(true);
              return t;
            });
    open.forEach(emitter -> ending.execute(() -> end(emitter)));
    ending.shutdown();
    try {
      ending.awaitTermination(STOP_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server's graceful shutdown (SmartLifecycle.DEFAULT_PHASE - 1024). */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
