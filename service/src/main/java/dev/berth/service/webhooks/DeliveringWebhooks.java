package dev.berth.service.webhooks;

import dev.berth.service.containergroup.SubscriptionEventStream;
import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import dev.berth.service.webhooks.WebhookStore.Claimed;
import dev.berth.service.webhooks.WebhookStore.Delivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers webhooks: each round, on any replica, claims the webhooks that are due and have an event
 * after their cursor (a claim is a short committed update, so no transaction stays open while a
 * receiver answers), then POSTs each one's events in order, signed, moving its cursor after each
 * 2xx. A failure stops that webhook until its backoff is over; the events after the failed one
 * wait. A run stops taking new events after {@link #RUN_FOR}, well inside its claim, so a claim
 * lapses only when its replica died: another then delivers from the cursor again.
 */
public final class DeliveringWebhooks implements AutoCloseable {

  private static final Logger log = Logger.getLogger(DeliveringWebhooks.class.getName());

  /** As many as there are threads to post: a claimed webhook starts at once. */
  static final int CLAIMS_PER_ROUND = 4;

  static final Duration CLAIM_FOR = Duration.ofSeconds(60);
  static final Duration RUN_FOR = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
  private static final int BATCH = 50;

  private final WebhookStore store;
  private final SubscriptionEventStream stream;
  private final Function<Streamed, String> body;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final ExecutorService posting =
      Executors.newFixedThreadPool(
          CLAIMS_PER_ROUND,
          r -> {
            Thread t = new Thread(r, "berth-webhooks");
            t.setDaemon(true);
            return t;
          });

  private final boolean allowPrivate;

  public DeliveringWebhooks(
      WebhookStore store,
      SubscriptionEventStream stream,
      Function<Streamed, String> body,
      Clock clock,
      boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
    this.store = store;
    this.stream = stream;
    this.body = body;
    this.clock = clock;
  }

  /** The wait after the {@code failed}-th failed attempt of an event: 1 s, 2 s, 4 s, ... 10 min. */
  static Duration backoff(int failed) {
    int doublings = Math.min(Math.max(failed - 1, 0), 20);
    Duration wait = FIRST_RETRY.multipliedBy(1L << doublings);
    return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
  }

  /** One round: claims what is due and delivers it. */
  public void round() {
    UUID token = UUID.randomUUID();
    Instant now = clock.instant();
    List<Future<?>> runs = new ArrayList<>();
    for (Claimed claimed : store.claimDue(token, now, now.plus(CLAIM_FOR), CLAIMS_PER_ROUND)) {
      runs.add(posting.submit(() -> deliver(claimed, token)));
    }
    for (Future<?> run : runs) {
      try {
        run.get();
      } catch (ExecutionException e) {
        log.log(Level.FINE, "a webhook delivery run failed; its claim lapses", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@link #round()}, for a timer: the database may be away; the next round tries again. */
  public void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.log(Level.FINE, "could not deliver webhooks this round", e);
    }
  }

  private void deliver(Claimed claimed, UUID token) {
    Webhook webhook = claimed.webhook();
    Position cursor = webhook.deliveredThrough();
    int failed = webhook.failedAttempts();
    long started = System.nanoTime();
    try {
      while (System.nanoTime() - started < RUN_FOR.toNanos()) {
        List<Streamed> batch = stream.after(webhook.subscriptionId(), cursor, null, BATCH);
        if (batch.isEmpty()) {
          return;
        }
        for (Streamed event : batch) {
          Attempt attempt = post(webhook, claimed.secret(), event);
          store.log(
              new Delivery(
                  webhook.id(),
                  event.position().toString(),
                  failed + 1,
                  attempt.at(),
                  attempt.error() == null,
                  attempt.status(),
                  attempt.error(),
                  attempt.millis()));
          if (attempt.error() != null) {
            failed++;
            store.failed(
                webhook.id(),
                token,
                failed,
                clock.instant().plus(backoff(failed)),
                attempt.error());
            return;
          }
          if (!store.delivered(
              webhook.id(), token, event.position(), clock.instant().plus(CLAIM_FOR))) {
            return; // no longer ours (deleted, or the claim lapsed): the holder goes on
          }
          cursor = event.position();
          failed = 0;
          if (System.nanoTime() - started >= RUN_FOR.toNanos()) {
            return;
          }
        }
      }
    } finally {
      store.release(webhook.id(), token);
    }
  }

  /** What one POST got: an error null when it was delivered. */
  private record Attempt(Instant at, Integer status, String error, long millis) {}

  private Attempt post(Webhook webhook, String secret, Streamed event) {
    String json = body.apply(event);
    Instant at = clock.instant();
    long started = System.nanoTime();
    try {
      URI url = URI.create(webhook.url());
      // Checked at each attempt: a name may point somewhere else since it was registered.
      if (!allowPrivate && PrivateAddresses.isPrivate(url.getHost())) {
        return new Attempt(
            at,
            null,
            "refused: its host is a private address (berth.webhooks.allow-private-addresses)",
            millis(started));
      }
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("User-Agent", "Berth-Webhooks")
              .header("Berth-Event-Id", event.position().toString())
              .header("Berth-Webhook-Id", webhook.id().toString())
              .header(
                  WebhookSignature.HEADER,
                  WebhookSignature.header(secret, at.getEpochSecond(), json))
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build();
      // The whole answer, body too, within TIMEOUT (the request's own timeout covers only the
      // headers, and a receiver could trickle a body forever).
      var pending = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> answer;
      try {
        answer = pending.get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException late) {
        pending.cancel(true);
        throw new HttpTimeoutException("late");
      } catch (ExecutionException failed) {
        throw failed.getCause() instanceof IOException io
            ? io
            : new IOException(failed.getCause().getClass().getSimpleName());
      }
      int status = answer.statusCode();
      return new Attempt(
          at, status, status / 100 == 2 ? null : "answered HTTP " + status, millis(started));
    } catch (HttpTimeoutException e) {
      return new Attempt(
          at, null, "no answer within " + TIMEOUT.toSeconds() + " s", millis(started));
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : ": " + e.getMessage();
      return new Attempt(at, null, e.getClass().getSimpleName() + why, millis(started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(at, null, "Berth is shutting down", millis(started));
    }
  }

  private static long millis(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  @Override
  public void close() {
    posting.shutdownNow(); // Java 17's HttpClient has no close: its threads end with it
  }
}
