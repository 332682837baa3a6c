package dev.berth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a Docker engine's state over its Unix socket, independently of Berth's own client. Every
 * call has a deadline: a stopped (SIGSTOP) engine still accepts connections into its backlog and
 * never answers, and a test must be told so instead of hanging.
 */
final class EngineSocket {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private final Path socket;
  private final Duration timeout;

  EngineSocket(String endpoint) {
    this(endpoint, DEFAULT_TIMEOUT);
  }

  EngineSocket(String endpoint, Duration timeout) {
    this.socket = Path.of(endpoint.replaceFirst("^unix://", ""));
    this.timeout = timeout;
  }

  /** Whether the engine answers {@code GET /_ping} with OK within the deadline. */
  boolean answers() {
    try {
      return "OK".equals(get("/_ping"));
    } catch (IOException notAnswering) {
      return false;
    }
  }

  /** Containers carrying {@code label=value}, running or not. */
  JsonNode containersLabelled(String label, String value) throws IOException {
    return containers(java.util.Map.of(label, value));
  }

  /** The containers of one group (names repeat across tests; subscriptions do not). */
  JsonNode containersOf(String subscription, String groupName) throws IOException {
    return containers(
        java.util.Map.of(
            "dev.berth.subscription", subscription, "dev.berth.group-name", groupName));
  }

  /** The named volumes of one group. */
  JsonNode volumesOf(String subscription, String groupName) throws IOException {
    String filters =
        URLEncoder.encode(
            "{\"label\":[\"dev.berth.subscription="
                + subscription
                + "\",\"dev.berth.group-name="
                + groupName
                + "\"]}",
            StandardCharsets.UTF_8);
    return JSON.readTree(get("/volumes?filters=" + filters)).get("Volumes");
  }

  private JsonNode containers(java.util.Map<String, String> labels) throws IOException {
    String wanted =
        labels.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "=" + e.getValue() + "\"")
            .collect(java.util.stream.Collectors.joining(","));
    String filters = URLEncoder.encode("{\"label\":[" + wanted + "]}", StandardCharsets.UTF_8);
    return JSON.readTree(get("/containers/json?all=1&filters=" + filters));
  }

  private String get(String path) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      // Non-blocking from the start: a connect to an engine whose backlog is full would block.
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, 0);
      if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
        key.interestOps(SelectionKey.OP_CONNECT);
        while (!channel.finishConnect()) {
          awaitReady(selector, deadline, path);
        }
      }
      ByteBuffer request =
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      key.interestOps(SelectionKey.OP_WRITE);
      while (request.hasRemaining()) {
        if (channel.write(request) == 0) {
          awaitReady(selector, deadline, path);
        }
      }
      key.interestOps(SelectionKey.OP_READ);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (true) {
        int read = channel.read(buffer);
        if (read < 0) {
          break;
        }
        if (read == 0) {
          awaitReady(selector, deadline, path);
          continue;
        }
        response.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String text = response.toString(StandardCharsets.UTF_8);
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }

  private void awaitReady(Selector selector, long deadline, String path) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException(
          "engine " + socket + " did not answer GET " + path + " within " + timeout);
    }
    selector.select(Math.max(1, left / 1_000_000));
    selector.selectedKeys().clear();
  }
}
