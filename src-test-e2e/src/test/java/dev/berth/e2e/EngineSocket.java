package dev.berth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads a Docker engine's state over its Unix socket, independently of Berth's own client. */
final class EngineSocket {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path socket;

  EngineSocket(String endpoint) {
    this.socket = Path.of(endpoint.replaceFirst("^unix://", ""));
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
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        response.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String text = response.toString(StandardCharsets.UTF_8);
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }
}
