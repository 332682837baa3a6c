package dev.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows one of Berth's Server-Sent Event streams (a group's events, a container's logs) to its
 * end, as an EventSource does: when the connection breaks or a replica goes away, it connects again
 * with {@code Last-Event-ID}, so every event comes once. The stream is over when Berth answers 204
 * or sends an {@code end} event.
 */
final class Follow {

  /** One event: its id, its name (the {@code event:} field) and its data. */
  record Event(String id, String name, String data) {}

  private static final Duration MOST_BACKOFF = Duration.ofSeconds(5);

  private final Berth.Connection berth;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Follow(Berth.Connection berth) {
    this.berth = berth;
  }

  /**
   * Sends each event of the stream at {@code path} to {@code onEvent} until the stream is over.
   *
   * @throws Berth.Refused when Berth refuses the follow (a missing group, a wrong key)
   */
  void follow(String path, Consumer<Event> onEvent) throws InterruptedException {
    String lastId = null;
    Duration backoff = Duration.ofMillis(250);
    while (true) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(berth.uri(path))
              .header("Accept", "text/event-stream")
              .header("Authorization", "Bearer " + berth.profile.key())
              .GET();
      if (lastId != null) {
        request.header("Last-Event-ID", lastId);
      }
      try {
        HttpResponse<InputStream> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 204) {
          return;
        }
        if (status != 200) {
          String body;
          try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          if (status == 429 || status >= 500) {
            throw new IOException(Berth.errorMessage(status, body));
          }
          throw new Berth.Refused(Berth.REFUSED, Berth.errorMessage(status, body));
        }
        backoff = Duration.ofMillis(250);
        String[] last = {lastId};
        boolean ended = read(response.body(), onEvent, last);
        lastId = last[0];
        if (ended) {
          return;
        }
      } catch (IOException broken) {
        // A replica went away or the connection broke: again, from the last event received.
      }
      Thread.sleep(backoff.toMillis());
      backoff =
          backoff.multipliedBy(2).compareTo(MOST_BACKOFF) > 0
              ? MOST_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /** Reads events until the stream closes; true when Berth said it has ended. */
  private static boolean read(InputStream body, Consumer<Event> onEvent, String[] lastId)
      throws IOException {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String name = "message";
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            if (id != null) {
              lastId[0] = id;
            }
            if (name.equals("end")) {
              return true;
            }
            onEvent.accept(new Event(id, name, data.toString()));
          }
          id = null;
          name = "message";
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {
            // retry and unknown fields: nothing to do
          }
        }
      }
      return false;
    }
  }
}
