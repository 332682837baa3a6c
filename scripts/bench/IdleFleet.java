import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a settled Berth costs: STORED groups seeded through the API, RUNNING of them running (tiny
 * Always groups, sleep, 0.01 vCPU, spread over the engines, which are registered with
 * cpuAllocatable 16 so that 1,000 of them fit on a 2-core machine's three engines), the rest finished (Never groups whose
 * image a registry on 127.0.0.1:1 refuses, so no container is ever created); then, once every group
 * is in its final state and SETTLE seconds have passed, Berth's own CPU (utime + stime of its
 * process, from /proc) over WINDOW seconds in which nothing changes.
 *
 * <p>Prints the seeding rate, the CPU of each 10 s of the settling, the idle CPU as a share of one
 * core, and writes the names a read benchmark uses (one running group, the skip token of a page in
 * the middle of the finished groups) to OUT as shell assignments.
 *
 * <p>Usage: java IdleFleet.java BERTH_URL KEY SUBSCRIPTION IMAGE STORED RUNNING CLIENTS SETTLE WINDOW
 * BERTH_PID OUT [HOST_ID SOCKET PUBLISH_ADDRESS]...
 */
public class IdleFleet {

  static final String API = "?api-version=2023-05-01";
  static final Pattern STATE = Pattern.compile("\"readyContainers\":\\d+,\"state\":\"(\\w+)\"");
  static final Pattern NEXT = Pattern.compile("\"nextLink\":\"[^\"]*\\$skipToken=([^\"&]+)");
  static final long TICKS = 100; // USER_HZ on Linux

  static HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static String berth;
  static String key;
  static String subscription;

  public static void main(String[] args) throws Exception {
    berth = args[0];
    key = args[1];
    subscription = args[2];
    String image = args[3];
    int stored = Integer.parseInt(args[4]);
    int running = Integer.parseInt(args[5]);
    int clients = Integer.parseInt(args[6]);
    int settle = Integer.parseInt(args[7]);
    int window = Integer.parseInt(args[8]);
    long pid = Long.parseLong(args[9]);
    Path out = Path.of(args[10]);
    for (int i = 11; i + 2 < args.length; i += 3) {
      register(args[i], args[i + 1], args[i + 2]);
    }

    System.out.printf(
        "Idle benchmark: %d groups stored, %d of them running, seeded by %d clients, %d cores%n",
        stored, running, clients, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long began = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> seeding = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      seeding.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < stored; i = next.getAndIncrement()) {
                  if (i < running) {
                    put("run", "r" + i, image, "Always", "0.02");
                  } else {
                    put("done", "d" + i, "127.0.0.1:1/absent:1", "Never", "0.01");
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : seeding) {
      f.get();
    }
    pool.shutdown();
    double seedingSeconds = (System.nanoTime() - began) / 1e9;
    System.out.printf("seeded %d groups in %.1f s (%.0f PUTs/s)%n", stored, seedingSeconds, stored / seedingSeconds);

    awaitStates("run", "Running", running);
    awaitStates("done", "Failed", stored - running);
    System.out.printf(
        "all %d groups in their final state %.1f s after the first PUT%n",
        stored, (System.nanoTime() - began) / 1e9);

    for (int s = 0; s < settle; s += 10) {
      double cpu = cpuSeconds(pid);
      Thread.sleep(10_000);
      System.out.printf("  settling, +%3d s: Berth %.1f%% of one core%n", s + 10, 10 * (cpuSeconds(pid) - cpu));
    }
    double before = cpuSeconds(pid);
    long windowBegan = System.nanoTime();
    Thread.sleep(window * 1000L);
    double used = cpuSeconds(pid) - before;
    double seconds = (System.nanoTime() - windowBegan) / 1e9;
    System.out.printf(
        "RESULT idle: Berth used %.2f s of CPU in %.0f s with %d stored / %d running groups:"
            + " %.1f%% of one core (target < 5%%)%n",
        used, seconds, stored, running, 100 * used / seconds);

    Files.writeString(
        out,
        "group_path='"
            + groupPath("run", "r0")
            + "'\npage_path='"
            + listPath("done", middlePageToken("done", (stored - running) / 200))
            + "'\n");
  }

  static void register(String id, String socket, String publishAddress) throws Exception {
    HttpResponse<String> answer =
        send(
            "PUT",
            "/admin/hosts/" + id,
            "{\"endpoint\":\"unix://"
                + socket
                + "\",\"cpuAllocatable\":16.0,\"memoryAllocatable\":0.9,\"publishAddresses\":[\""
                + publishAddress
                + "\"]}");
    if (answer.statusCode() / 100 != 2) {
      throw new IllegalStateException("registering " + id + ": " + answer.body());
    }
  }

  static void put(String rg, String name, String image, String policy, String memoryInGb)
      throws Exception {
    String body =
        "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"restartPolicy\":\""
            + policy
            + "\",\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\""
            + image
            + "\",\"command\":[\"sleep\",\"36000\"],\"resources\":{\"requests\":"
            + "{\"cpu\":0.01,\"memoryInGB\":" + memoryInGb + "}}}}]}}";
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> answer = send("PUT", groupPath(rg, name), body);
      if (answer.statusCode() / 100 == 2) {
        return;
      }
      if (answer.body().contains("InsufficientCapacity") && attempt < 600) {
        // Groups sent faster than Berth sees their pulls fail still hold their room: wait for it.
        Thread.sleep(1000);
        continue;
      }
      if (attempt >= 3) {
        throw new IllegalStateException("PUT " + name + " answered " + answer.statusCode() + ": " + answer.body());
      }
    }
  }

  /** Waits until COUNT groups of the resource group show STATE, listing it every 5 s. */
  static void awaitStates(String rg, String state, int count) throws Exception {
    long began = System.nanoTime();
    while (true) {
      int matching = 0;
      int total = 0;
      String token = null;
      do {
        String page = send("GET", listPath(rg, token), null).body();
        Matcher m = STATE.matcher(page);
        while (m.find()) {
          total++;
          if (m.group(1).equals(state)) {
            matching++;
          }
        }
        Matcher n = NEXT.matcher(page);
        token = n.find() ? n.group(1) : null;
      } while (token != null);
      if (matching == count) {
        return;
      }
      if (System.nanoTime() - began > Duration.ofMinutes(20).toNanos()) {
        throw new IllegalStateException(
            rg + ": " + matching + " of " + total + " groups " + state + " after 20 minutes");
      }
      System.out.printf("  %s: %d of %d %s%n", rg, matching, count, state);
      Thread.sleep(5000);
    }
  }

  /** The skip token of page {@code pages} + 1, or null when there are fewer pages. */
  static String middlePageToken(String rg, int pages) throws Exception {
    String token = null;
    for (int p = 0; p < Math.max(1, pages); p++) {
      Matcher n = NEXT.matcher(send("GET", listPath(rg, token), null).body());
      if (!n.find()) {
        break;
      }
      token = n.group(1);
    }
    return token;
  }

  static double cpuSeconds(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS;
  }

  /** A list page of the resource group: the first, or the one after {@code token}. */
  static String listPath(String rg, String token) {
    return "/subscriptions/" + subscription + "/resourceGroups/" + rg
        + "/providers/Microsoft.ContainerInstance/containerGroups" + API
        + (token == null ? "" : "&$skipToken=" + token);
  }

  static String groupPath(String rg, String name) {
    return "/subscriptions/" + subscription + "/resourceGroups/" + rg
        + "/providers/Microsoft.ContainerInstance/containerGroups/" + name + API;
  }

  static HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(berth + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
