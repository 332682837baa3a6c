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
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth's PUT -> Running against raw Engine API create+start, same image, same container
 * configuration (what Berth sends, from docker inspect of its container), same engine, same run.
 *
 * <p>Each round runs raw, then a Berth group watched by a GET every 5 ms (as a tight ACI client
 * would; on a 2-core machine those GETs take CPU from the engine's start), then a Berth group watched
 * every QUIET_POLL_MS (default 50) whose Running is timed by the Started event Berth stamps in the
 * pass whose commit shows it, next to the engine's own create and start events for that container:
 * where the milliseconds go. Raw: POST /containers/create + POST /containers/{id}/start on the
 * Docker socket. Groups are created one after another; each is gone before the next round starts.
 *
 * <p>Usage: java CreateToRunning.java BERTH_URL ADMIN_KEY DOCKER_SOCKET COUNT IMAGE [QUIET_POLL_MS]
 */
public class CreateToRunning {

  /** The group's own instance view (the containers' hold a nested currentState object). */
  static final Pattern GROUP_RUNNING = Pattern.compile("\"instanceView\":\\{[^{}]*\"state\":\"Running\"");

  static final Pattern GROUP_FAILED = Pattern.compile("\"instanceView\":\\{[^{}]*\"state\":\"Failed\"");

  public static void main(String[] args) throws Exception {
    String berth = args[0];
    String key = args[1];
    socket = args[2];
    int count = Integer.parseInt(args[3]);
    String image = args[4];
    if (args.length > 5) {
      quietPollMillis = Long.parseLong(args[5]);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // Warm-up rounds of each, not counted (BERTH_BENCH_WARM_ROUNDS, default 10): class loading,
    // first-use caches, and a JIT that would otherwise still be compiling on the cores the
    // engine's start needs; a Berth in service has long been warm.
    String warmRounds = System.getenv("BERTH_BENCH_WARM_ROUNDS");
    int warm = warmRounds == null || warmRounds.isBlank() ? 10 : Integer.parseInt(warmRounds);
    for (int i = 0; i < warm; i++) {
      berthOnce(http, berth, key, image, "warm", TIGHT_POLL_MILLIS);
      berthOnce(http, berth, key, image, "warm", quietPollMillis);
      rawOnce(socket, image);
    }
    for (List<Double> part : List.of(rawCreate, rawStart, putMillis, untilCreated, createdToStarted, startedToRecorded,
        recordedSeconds)) {
      part.clear();
    }

    List<Double> berthSeconds = new ArrayList<>();
    List<Double> rawSeconds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rawSeconds.add(rawOnce(socket, image));
      berthSeconds.add(berthOnce(http, berth, key, image, "g" + i, TIGHT_POLL_MILLIS));
      berthOnce(http, berth, key, image, "q" + i, quietPollMillis);
    }
    print("raw Engine API create+start", rawSeconds);
    print("Berth PUT -> GET shows Running", berthSeconds);
    print("Berth PUT -> Running recorded", recordedSeconds);
    System.out.printf("where the time goes (p50 of each part, ms): raw create %.1f + start %.1f;%n"
        + "  Berth (groups polled every %d ms): PUT answered %.1f, then until the engine created the container %.1f,"
        + " created -> started %.1f, started -> Berth recorded Running %.1f%n",
        percentile(rawCreate, 50), percentile(rawStart, 50), quietPollMillis, percentile(putMillis, 50),
        percentile(untilCreated, 50), percentile(createdToStarted, 50), percentile(startedToRecorded, 50));
    ratio("GET polled every " + TIGHT_POLL_MILLIS + " ms shows Running", berthSeconds, rawSeconds);
    ratio("Running recorded (polled every " + quietPollMillis + " ms)", recordedSeconds, rawSeconds);
  }

  static void ratio(String what, List<Double> berth, List<Double> raw) {
    System.out.printf("ratio Berth/raw, %s: p50 %.2fx, p90 %.2fx (target: p50 <= 1.15x, p90 <= 1.3x)%n", what,
        percentile(berth, 50) / percentile(raw, 50), percentile(berth, 90) / percentile(raw, 90));
  }

  /** A tight ACI client's polling; on a 2-core machine its GETs take CPU from the engine's start. */
  static final long TIGHT_POLL_MILLIS = 5;

  /**
   * The time Berth recorded the container's start: the Started event it stamps in the pass whose
   * commit shows Running (the commit follows within that pass, after the stamp).
   */
  static final Pattern STARTED_AT = Pattern.compile("\"lastTimestamp\":\"([^\"]+)\",\"message\":\"Started container");

  static final List<Double> recordedSeconds = new ArrayList<>();
  static final List<Double> startedToRecorded = new ArrayList<>();
  static final List<Double> rawCreate = new ArrayList<>();
  static final List<Double> rawStart = new ArrayList<>();
  static final List<Double> putMillis = new ArrayList<>();
  static final List<Double> untilCreated = new ArrayList<>();
  static final List<Double> createdToStarted = new ArrayList<>();
  static String socket;
  static long quietPollMillis = 50;

  static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The engine's create and start events of the group's container, in epoch nanoseconds. */
  static Map<String, Long> engineEvents(String socket, String groupName, long sinceNanos) throws IOException {
    String filters = java.net.URLEncoder.encode(
        "{\"type\":[\"container\"],\"label\":[\"dev.berth.group-name=" + groupName + "\"]}", StandardCharsets.UTF_8);
    long until = epochNanos() / 1_000_000_000L + 1;
    String text = call(socket, "GET", "/events?since=" + (sinceNanos / 1_000_000_000L - 1) + "&until=" + until
        + "&filters=" + filters, null);
    Map<String, Long> at = new java.util.HashMap<>();
    Matcher m = Pattern.compile("\"Action\":\"(create|start)\".*?\"timeNano\":(\\d+)").matcher(text);
    while (m.find()) {
      at.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
    }
    return at;
  }

  static double berthOnce(HttpClient http, String base, String key, String image, String name, long pollMillis)
      throws Exception {
    String url = base + "/subscriptions/bench/resourceGroups/bench/providers/Microsoft.ContainerInstance/containerGroups/"
        + name + "-" + UUID.randomUUID().toString().substring(0, 6) + "?api-version=2023-05-01";
    String body = "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"containers\":[{\"name\":\"main\","
        + "\"properties\":{\"image\":\"" + image + "\",\"command\":[\"sleep\",\"3600\"],"
        + "\"resources\":{\"requests\":{\"cpu\":0.1,\"memoryInGB\":0.0625}}}}]}}";
    long wallStart = epochNanos();
    long start = System.nanoTime();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
    }
    long answered = epochNanos();
    HttpRequest get = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build();
    String group;
    while (true) {
      group = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
      if (GROUP_RUNNING.matcher(group).find()) {
        break;
      }
      if (GROUP_FAILED.matcher(group).find()) {
        throw new IllegalStateException("group failed: " + group);
      }
      Thread.sleep(pollMillis);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (pollMillis != TIGHT_POLL_MILLIS) {
      // The engine's own times for the create and start of the group's container.
      String groupName = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
      Map<String, Long> at = engineEvents(socket, groupName, wallStart);
      Long created = at.get("create");
      Long started = at.get("start");
      Matcher stamp = STARTED_AT.matcher(group);
      if (created == null || started == null || !stamp.find()) {
        throw new IllegalStateException("no create/start event or Started stamp for " + groupName + ": " + group);
      }
      java.time.Instant recordedAt = java.time.Instant.parse(stamp.group(1));
      long recorded = recordedAt.getEpochSecond() * 1_000_000_000L + recordedAt.getNano();
      putMillis.add((answered - wallStart) / 1e6);
      untilCreated.add((created - answered) / 1e6);
      createdToStarted.add((started - created) / 1e6);
      startedToRecorded.add((recorded - started) / 1e6);
      recordedSeconds.add((recorded - wallStart) / 1e9);
    }
    http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    // Gone before the next measurement starts, as the raw side's synchronous delete is: the
    // removal must not run during the next create on either side.
    while (http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode() != 404) {
      Thread.sleep(5);
    }
    return seconds;
  }

  static double rawOnce(String socket, String image) throws IOException {
    // What Berth sends for the same group (docker inspect of one of its containers): environment,
    // as many labels, the capabilities ACI leaves a container, log rotation, private IPC.
    StringBuilder labels = new StringBuilder("\"dev.berth.bench\":\"raw\"");
    for (int i = 1; i < 8; i++) {
      labels.append(",\"dev.berth.bench.").append(i).append("\":\"").append(UUID.randomUUID()).append('"');
    }
    String create = "{\"Image\":\"" + image + "\",\"Entrypoint\":[\"sleep\",\"3600\"],\"Env\":[\"PATH=/bin\"],"
        + "\"Labels\":{" + labels + "},"
        + "\"HostConfig\":{\"NanoCpus\":100000000,\"Memory\":67108864,\"MemorySwap\":67108864,\"Init\":true,"
        + "\"PidsLimit\":512,\"CapDrop\":[\"ALL\"],\"CapAdd\":[\"CHOWN\",\"DAC_OVERRIDE\",\"FOWNER\",\"FSETID\","
        + "\"KILL\",\"SETGID\",\"SETUID\",\"SETPCAP\",\"NET_BIND_SERVICE\",\"SYS_CHROOT\"],"
        + "\"SecurityOpt\":[\"no-new-privileges:true\"],\"IpcMode\":\"private\",\"ShmSize\":67108864,"
        + "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"3\",\"max-size\":\"10m\"}}}}";
    long start = System.nanoTime();
    String created = call(socket, "POST", "/containers/create?name=bench-raw-" + UUID.randomUUID().toString().substring(0, 8), create);
    Matcher id = Pattern.compile("\"Id\":\"([0-9a-f]+)\"").matcher(created);
    if (!id.find()) {
      throw new IllegalStateException("create failed: " + created);
    }
    long createdAt = System.nanoTime();
    call(socket, "POST", "/containers/" + id.group(1) + "/start", null);
    long end = System.nanoTime();
    rawCreate.add((createdAt - start) / 1e6);
    rawStart.add((end - createdAt) / 1e6);
    call(socket, "DELETE", "/containers/" + id.group(1) + "?force=true", null);
    return (end - start) / 1e9;
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
