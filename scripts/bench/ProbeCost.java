import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What probes cost Berth: N groups run first without probes, then (a new generation) each with an
 * httpGet liveness and an exec readiness probe at period 1 s. Berth's CPU (utime+stime of its
 * process) is read over the same window in both phases; the difference divided by the probes per
 * second is Berth's CPU per probe. A bare loop in this process then does the same exec (create,
 * start, inspect on the engine's socket) and HTTP GET against the same containers at the same
 * rate, and its own CPU per probe is printed next to Berth's.
 *
 * <p>Usage: java ProbeCost.java BASE KEY BERTH_PID ENGINE_SOCKET IMAGE N SECONDS
 */
public class ProbeCost {

  static final String API = "api-version=2023-05-01";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String base;
  static String key;
  static String sub = "bench-probes-" + UUID.randomUUID().toString().substring(0, 8);

  public static void main(String[] args) throws Exception {
    base = args[0];
    key = args[1];
    long berthPid = Long.parseLong(args[2]);
    String socket = args[3];
    String image = args[4];
    int n = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    try {
      for (int i = 0; i < n; i++) {
        put("p" + i, body(image, false));
      }
      awaitAll(n, "\"state\":\"Running\"");
      Thread.sleep(3000);
      double idle = berthCpuMillisPerSecond(berthPid, seconds);

      for (int i = 0; i < n; i++) {
        put("p" + i, body(image, true));
      }
      awaitAll(n, "\"readyContainers\":1");
      Thread.sleep(3000);
      double probed = berthCpuMillisPerSecond(berthPid, seconds);
      int probesPerSecond = 2 * n;
      double berthPerProbe = (probed - idle) / probesPerSecond;

      List<String[]> targets = containers(socket);
      double raw = rawLoopCpuMillisPerProbe(socket, targets, seconds);

      System.out.printf(
          "%d containers, %d probes/s (httpGet liveness + exec readiness, period 1 s), %d s windows%n",
          n, probesPerSecond, seconds);
      System.out.printf("Berth CPU without probes: %.1f ms/s; with probes: %.1f ms/s%n", idle, probed);
      System.out.printf("Berth: %.2f ms CPU per probe%n", berthPerProbe);
      System.out.printf(
          "bare loop (same exec + GET, %d targets): %.2f ms CPU per probe%n", targets.size(), raw);
      System.out.printf("ratio Berth / bare loop: %.1f%n", berthPerProbe / raw);
    } finally {
      for (int i = 0; i < n; i++) {
        send("DELETE", "p" + i, null);
      }
    }
  }

  static String body(String image, boolean probes) {
    String probe =
        probes
            ? ",\"livenessProbe\":{\"httpGet\":{\"path\":\"/health\",\"port\":8080},\"periodSeconds\":1},"
                + "\"readinessProbe\":{\"exec\":{\"command\":[\"test\",\"-f\",\"/tmp/ready\"]},\"periodSeconds\":1}"
            : "";
    return "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"restartPolicy\":\"Always\","
        + "\"containers\":[{\"name\":\"main\",\"properties\":{\"image\":\""
        + image
        + "\",\"command\":[\"sh\",\"-c\",\"mkdir -p /tmp/www && echo ok > /tmp/www/health && touch /tmp/ready"
        + " && exec httpd -f -p 8080 -h /tmp/www\"],"
        + "\"resources\":{\"requests\":{\"cpu\":0.1,\"memoryInGB\":0.0625}}"
        + probe
        + "}}]}}";
  }

  static String path(String name) {
    return base
        + "/subscriptions/"
        + sub
        + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
        + name
        + "?"
        + API;
  }

  static String send(String method, String name, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(path(name))).header("Authorization", "Bearer " + key);
    request =
        json == null
            ? request.method(method, HttpRequest.BodyPublishers.noBody())
            : request
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300 && !method.equals("DELETE")) {
      throw new IllegalStateException(method + " " + name + ": " + response.body());
    }
    return response.body();
  }

  static void put(String name, String json) throws Exception {
    send("PUT", name, json);
  }

  static void awaitAll(int n, String marker) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    for (int i = 0; i < n; i++) {
      while (!send("GET", "p" + i, null).contains(marker)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("p" + i + " never showed " + marker);
        }
        Thread.sleep(200);
      }
    }
  }

  /** Berth's utime+stime over {@code seconds}, in ms of CPU per second. */
  static double berthCpuMillisPerSecond(long pid, int seconds) throws Exception {
    long before = ticks(pid);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long after = ticks(pid);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return (after - before) * 10.0 / elapsed; // USER_HZ is 100: one tick is 10 ms
  }

  static long ticks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** The bench's containers: {id, ip} of each, read from the engine by Berth's labels. */
  static List<String[]> containers(String socket) throws IOException {
    String filter =
        URLEncoder.encode(
            "{\"label\":[\"dev.berth.subscription=" + sub + "\"]}", StandardCharsets.UTF_8);
    String listed = engine(socket, "GET", "/containers/json?filters=" + filter, null);
    List<String[]> found = new ArrayList<>();
    Matcher ids = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"").matcher(listed);
    while (ids.find()) {
      String inspected = engine(socket, "GET", "/containers/" + ids.group(1) + "/json", null);
      Matcher ip = Pattern.compile("\"IPAddress\":\"([0-9.]+)\"").matcher(inspected);
      if (ip.find()) {
        found.add(new String[] {ids.group(1), ip.group(1)});
      }
    }
    return found;
  }

  /** This process's CPU per probe while it makes one exec and one GET per target per second. */
  static double rawLoopCpuMillisPerProbe(String socket, List<String[]> targets, int seconds)
      throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    rawRounds(socket, targets, 3); // warm up the JIT as Berth's are
    long before = os.getProcessCpuTime();
    int probes = rawRounds(socket, targets, seconds);
    long after = os.getProcessCpuTime();
    return (after - before) / 1e6 / probes;
  }

  static int rawRounds(String socket, List<String[]> targets, int rounds) throws Exception {
    int probes = 0;
    for (int r = 0; r < rounds; r++) {
      long next = System.nanoTime() + 1_000_000_000L;
      for (String[] t : targets) {
        exec(socket, t[0]);
        get(t[1]);
        probes += 2;
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
    }
    return probes;
  }

  static void exec(String socket, String containerId) throws IOException {
    String created =
        engine(
            socket,
            "POST",
            "/containers/" + containerId + "/exec",
            "{\"Cmd\":[\"test\",\"-f\",\"/tmp/ready\"],\"AttachStdout\":true,\"AttachStderr\":true}");
    Matcher id = Pattern.compile("\"Id\":\"([0-9a-f]+)\"").matcher(created);
    if (!id.find()) {
      throw new IllegalStateException("exec create answered " + created);
    }
    engine(socket, "POST", "/exec/" + id.group(1) + "/start", "{\"Detach\":false,\"Tty\":false}");
    String inspected = engine(socket, "GET", "/exec/" + id.group(1) + "/json", null);
    if (!inspected.contains("\"ExitCode\":0")) {
      throw new IllegalStateException("exec failed: " + inspected);
    }
  }

  static void get(String ip) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://" + ip + ":8080/health").toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(1000);
    c.setRequestProperty("Connection", "close");
    int status = c.getResponseCode();
    c.getInputStream().readAllBytes();
    c.disconnect();
    if (status != 200) {
      throw new IllegalStateException("GET " + ip + " answered " + status);
    }
  }

  /** A request on the engine's Unix socket, read to its end (the connection closes after it). */
  static String engine(String socket, String method, String target, String json)
      throws IOException {
    byte[] payload = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: engine\r\nConnection: close\r\nContent-Length: ").append(payload.length);
    if (json != null) {
      head.append("\r\nContent-Type: application/json");
    }
    head.append("\r\n\r\n");
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
      channel.write(ByteBuffer.wrap(payload));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      ByteBuffer chunk = ByteBuffer.allocate(16384);
      for (int read; (read = channel.read(chunk)) >= 0; chunk.clear()) {
        all.write(chunk.array(), 0, read);
      }
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
