import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth's PUT -> Running against raw Engine API create+start, same image, same engine, same run.
 *
 * <p>Berth: time from sending PUT until a GET first shows instanceView.state Running (polled every
 * 5 ms, as a tight ACI client would). Raw: POST /containers/create + POST /containers/{id}/start on
 * the Docker socket, with the same limits Berth sets. Groups are created one after another.
 *
 * <p>Usage: java CreateToRunning.java BERTH_URL ADMIN_KEY DOCKER_SOCKET COUNT IMAGE
 */
public class CreateToRunning {

  public static void main(String[] args) throws Exception {
    String berth = args[0];
    String key = args[1];
    String socket = args[2];
    int count = Integer.parseInt(args[3]);
    String image = args[4];
    HttpClient http = HttpClient.newHttpClient();

    // One warm-up of each, not counted: class loading, JIT, first-use caches on both sides.
    berthOnce(http, berth, key, image, "warm");
    rawOnce(socket, image);

    List<Double> berthSeconds = new ArrayList<>();
    List<Double> rawSeconds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rawSeconds.add(rawOnce(socket, image));
      berthSeconds.add(berthOnce(http, berth, key, image, "g" + i));
    }
    print("raw Engine API create+start", rawSeconds);
    print("Berth PUT -> GET shows Running", berthSeconds);
    double ratio50 = percentile(berthSeconds, 50) / percentile(rawSeconds, 50);
    double ratio90 = percentile(berthSeconds, 90) / percentile(rawSeconds, 90);
    System.out.printf("ratio Berth/raw: p50 %.2fx, p90 %.2fx (target: p50 <= 1.15x, p90 <= 1.3x)%n", ratio50, ratio90);
  }

  static double berthOnce(HttpClient http, String base, String key, String image, String name) throws Exception {
    String url = base + "/subscriptions/bench/resourceGroups/bench/providers/Microsoft.ContainerInstance/containerGroups/"
        + name + "-" + UUID.randomUUID().toString().substring(0, 6) + "?api-version=2023-05-01";
    String body = "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"containers\":[{\"name\":\"main\","
        + "\"properties\":{\"image\":\"" + image + "\",\"command\":[\"sleep\",\"3600\"],"
        + "\"resources\":{\"requests\":{\"cpu\":0.1,\"memoryInGB\":0.0625}}}}]}}";
    long start = System.nanoTime();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
    }
    HttpRequest get = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build();
    while (true) {
      String group = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
      if (group.contains("\"instanceView\":{\"state\":\"Running\"")) {
        break;
      }
      if (group.contains("\"instanceView\":{\"state\":\"Failed\"")) {
        throw new IllegalStateException("group failed: " + group);
      }
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    // Gone before the next measurement starts, as the raw side's synchronous delete is: the
    // removal must not run during the next create on either side.
    while (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 404) {
      Thread.sleep(5);
    }
    return seconds;
  }

  static double rawOnce(String socket, String image) throws IOException {
    String create = "{\"Image\":\"" + image + "\",\"Entrypoint\":[\"sleep\",\"3600\"],\"Labels\":{\"dev.berth.bench\":\"raw\"},"
        + "\"HostConfig\":{\"NanoCpus\":100000000,\"Memory\":67108864,\"MemorySwap\":67108864,\"Init\":true,"
        + "\"PidsLimit\":512,\"CapDrop\":[\"ALL\"],\"SecurityOpt\":[\"no-new-privileges:true\"]}}";
    long start = System.nanoTime();
    String created = call(socket, "POST", "/containers/create?name=bench-raw-" + UUID.randomUUID().toString().substring(0, 8), create);
    Matcher id = Pattern.compile("\"Id\":\"([0-9a-f]+)\"").matcher(created);
    if (!id.find()) {
      throw new IllegalStateException("create failed: " + created);
    }
    call(socket, "POST", "/containers/" + id.group(1) + "/start", null);
    double seconds = (System.nanoTime() - start) / 1e9;
    call(socket, "DELETE", "/containers/" + id.group(1) + "?force=true", null);
    return seconds;
  }

  /** One HTTP/1.1 request on the engine's Unix socket (the JDK's HTTP client speaks only TCP). */
  static String call(String socket, String method, String path, String json) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
          + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length + "\r\n\r\n";
      channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      channel.write(ByteBuffer.wrap(body));
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        response.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String text = response.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      if (status >= 300) {
        throw new IllegalStateException(method + " " + path + " answered " + text);
      }
      return text;
    }
  }

  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  static void print(String what, List<Double> seconds) {
    System.out.printf("%-32s n=%d  p50 %6.1f ms  p90 %6.1f ms  min %6.1f ms  max %6.1f ms%n", what, seconds.size(),
        percentile(seconds, 50) * 1000, percentile(seconds, 90) * 1000,
        Collections.min(seconds) * 1000, Collections.max(seconds) * 1000);
  }
}
