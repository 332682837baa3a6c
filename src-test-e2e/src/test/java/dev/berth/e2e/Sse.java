package dev.berth.e2e;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A Server-Sent Events client as small as a test needs: events as they come, into a list. */
final class Sse {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Sse() {}

  /** One event as received. */
  record Event(String id, String name, String data) {}

  /**
   * Opens the stream at {@code uri}; each event is added to {@code into} as it comes. The future
   * completes with the answer's status once the stream has closed, normally or broken.
   */
  static CompletableFuture<Integer> open(
      URI uri, String key, String lastEventId, List<Event> into) {
    return follow(uri, key, lastEventId, into).status();
  }

  /** A stream that does not end by itself (a subscription's): {@link #close()} leaves it. */
  static final class Following implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicReference<InputStream> body =
        new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;
    private CompletableFuture<Integer> status;
    private final CompletableFuture<Integer> opened = new CompletableFuture<>();

    /** The answer's status, as soon as its headers have come. */
    CompletableFuture<Integer> opened() {
      return opened;
    }

    /** The answer's status, once the stream has closed. */
    CompletableFuture<Integer> status() {
      return status;
    }

    @Override
    public void close() throws java.io.IOException {
      closed = true;
      InputStream b = body.get();
      if (b != null) {
        b.close();
      }
    }
  }

  /** Opens the stream at {@code uri} as {@link #open} does, to be left with {@code close()}. */
  static Following follow(URI uri, String key, String lastEventId, List<Event> into) {
    Following following = new Following();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    following.status =
        HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .thenApplyAsync(
                response -> {
                  following.opened.complete(response.statusCode());
                  try (InputStream body = response.body()) {
                    following.body.set(body);
                    if (response.statusCode() == 200 && !following.closed) {
                      read(body, into);
                    }
                  } catch (java.io.IOException broken) {
                    // Closed by the test, or a replica killed mid-stream.
                  }
                  return response.statusCode();
                });
    return following;
  }

  private static void read(InputStream body, List<Event> into) throws java.io.IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String id = null;
    String name = "message";
    String data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          into.add(new Event(id, name, data));
        }
        id = null;
        name = "message";
        data = null;
      } else if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
      }
    }
  }
}
