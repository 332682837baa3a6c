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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Launch throughput across three engines, Berth against raw Engine API create+start in the same
 * run, then (optionally) the time a host loss costs.
 *
 * <p>Throughput, per round: (1) raw: COUNT containers of the image (sleep 3600, 0.1 vCPU, 103 MiB,
 * the hardening Berth sets) created and started with CLIENTS threads, spread evenly over the three
 * engines (container i on engine i mod 3); containers/s = COUNT / time until the last start
 * answered. (2) Berth: CLIENTS threads send COUNT PUTs of one-container groups (same image and
 * command, 0.1 vCPU, 0.1 GB, restartPolicy Always) at once, watched by one follow of the
 * subscription's event stream opened before the first PUT; groups/s = COUNT / time from the first
 * PUT until the stream told the last group's StateChanged to Running.
 * Everything either side created is removed after each measurement (not timed).
 *
 * <p>Host loss (LOSS_COUNT > 0): LOSS_COUNT Always groups pinned to the doomed engine (the others
 * cordoned while they are created), then kill -9 of that engine's dockerd, containerd, shims and
 * container processes (a dead machine, not a cut-off one). Printed: detection (kill until GET
 * /admin/hosts/{id} says Lost), placement (until every moved group's status names another host),
 * start (until all of them are Running there). Berth must run with short lost-after/ping-interval.
 *
 * <p>Usage: java FleetLaunch.java BERTH_URL ADMIN_KEY IMAGE COUNT CLIENTS ROUNDS LOSS_COUNT
 * LOCAL_SOCKET NAME1 SOCKET1 DIR1 NAME2 SOCKET2 DIR2 (DIRn: the engine's directory with exec/ and
 * dockerd.pid; engine 2 is the one killed).
 */
public class FleetLaunch {

  static final String API = "?api-version=2023-05-01";
  static final Duration GIVE_UP = Duration.ofMinutes(20);

  /** How often the throughput round looks at its PUTs while the stream tells it the rest. */
  static final long POLL_MILLIS = 200;

  record Engine(String id, String socket, Path dir) {}

  static HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static String berth;
  static String key;
  static String image;
  static int clients;
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String SUBSCRIPTION = "fleetbench-" + RUN;

  public static void main(String[] args) throws Exception {
    berth = args[0];
    key = args[1];
    image = args[2];
    int count = Integer.parseInt(args[3]);
    clients = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    int lossCount = Integer.parseInt(args[6]);
    Engine local = new Engine("local", args[7], null);
    Engine one = new Engine(args[8], args[9], Path.of(args[10]));
    Engine two = new Engine(args[11], args[12], Path.of(args[13]));
    List<Engine> engines = List.of(local, one, two);

    if (!"1.0".equals(CPU_ALLOCATABLE)) {
      // The local engine registered at start keeps the default; more groups than its cores need it
      // registered again with the same overcommit as the others.
      register(local, "127.0.0.1");
    }
    register(one, "127.0.0.2");
    register(two, "127.0.0.3");
    System.out.printf(
        "Fleet launch benchmark: %d groups/containers per round, %d clients, %d round(s), engines %s,"
            + " %d cores%n",
        count,
        clients,
        rounds,
        engines.stream().map(Engine::id).toList(),
        Runtime.getRuntime().availableProcessors());

    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      // Warm-up, not counted, as JMH does: one whole round on each side, so the figures are those
      // of a Berth that has been running (class loading and the JIT compiling its hot paths take
      // a 2-core machine's CPU for the first minute) and of engines past their first use.
      // BERTH_BENCH_WARM_COUNT makes it smaller than COUNT (a round of 1,000 takes minutes).
      int warm = Integer.parseInt(System.getenv().getOrDefault("BERTH_BENCH_WARM_COUNT", String.valueOf(count)));
      rawRound(pool, engines, warm, "warm");
      berthRound(pool, warm, "warm");

      List<Double> rawRates = new ArrayList<>();
      List<Double> berthRates = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double raw = rawRound(pool, engines, count, "r" + round);
        double ours = berthRound(pool, count, "r" + round);
        rawRates.add(raw);
        berthRates.add(ours);
        System.out.printf(
            "round %d: raw %.2f containers/s, Berth %.2f groups/s, ratio Berth/raw %.0f%%%n",
            round, raw, ours, 100 * ours / raw);
      }
      double raw = median(rawRates);
      double ours = median(berthRates);
      System.out.printf(
          "RESULT launch over 3 engines: raw create+start %.2f containers/s, Berth %.2f groups/s"
              + " reaching Running, ratio %.0f%% of raw (target >= 90%%)%s%n",
          raw, ours, 100 * ours / raw, rounds > 1 ? " (medians of " + rounds + " rounds)" : "");

      if (lossCount > 0) {
        hostLoss(pool, lossCount, local, one, two);
      }
    } finally {
      pool.shutdownNow();
      leftoverCheck(engines);
    }
  }

  // ------------------------------------------------------------------ raw Engine API

  static double rawRound(ExecutorService pool, List<Engine> engines, int count, String round)
      throws Exception {
    String label = "fleet-" + RUN + "-" + round;
    Map<Integer, String> created = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    long began = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  Engine engine = engines.get(i % engines.size());
                  String id = rawCreate(engine.socket(), label, i);
                  created.put(i, id);
                  engine(engine.socket(), "POST", "/containers/" + id + "/start", null);
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : workers) {
        f.get();
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      if (!round.equals("warm")) {
        System.out.printf(
            "  raw: %d containers created and started in %.2f s%n", count, seconds);
      }
      return count / seconds;
    } finally {
      List<Future<?>> removals = new ArrayList<>();
      for (var e : created.entrySet()) {
        Engine engine = engines.get(e.getKey() % engines.size());
        removals.add(
            pool.submit(
                () ->
                    engine(
                        engine.socket(),
                        "DELETE",
                        "/containers/" + e.getValue() + "?force=true",
                        null)));
      }
      for (Future<?> f : removals) {
        f.get();
      }
    }
  }

  /** The container as Berth creates it: same limits, init, capabilities, log rotation, network. */
  static String rawCreate(String socket, String label, int i) throws IOException {
    String body =
        "{\"Image\":\""
            + image
            + "\",\"Entrypoint\":[\"sleep\",\"3600\"],\"Cmd\":[],"
            + "\"Labels\":{\"dev.berth.bench\":\""
            + label
            + "\"},\"HostConfig\":{\"NanoCpus\":"
            + Math.round(Double.parseDouble(GROUP_CPU) * 1e9)
            + ",\"Memory\":"
            + memoryBytes()
            + ",\"MemorySwap\":"
            + memoryBytes()
            + ",\"Privileged\":false,\"PidsLimit\":512,\"Init\":true,"
            + "\"CapDrop\":[\"ALL\"],\"CapAdd\":[\"CHOWN\",\"DAC_OVERRIDE\",\"FSETID\",\"FOWNER\","
            + "\"SETGID\",\"SETUID\",\"SETPCAP\",\"NET_BIND_SERVICE\",\"SYS_CHROOT\",\"KILL\"],"
            + "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\",\"max-file\":\"3\"}},"
            + "\"NetworkMode\":\"bridge\",\"RestartPolicy\":{\"Name\":\"no\"},"
            + "\"SecurityOpt\":[\"no-new-privileges:true\"]}}";
    String created = engine(socket, "POST", "/containers/create?name=" + label + "-" + i, body);
    Matcher id = Pattern.compile("\"Id\":\"([0-9a-f]+)\"").matcher(created);
    if (!id.find()) {
      throw new IllegalStateException("create answered " + created);
    }
    return id.group(1);
  }

  /** One HTTP/1.1 request on an engine's Unix socket (the JDK's HTTP client speaks only TCP). */
  static String engine(String socket, String method, String path, String json) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      String head =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
              + (json == null ? "" : "Content-Type: application/json\r\n")
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
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
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }

  // ------------------------------------------------------------------ Berth

  static double berthRound(ExecutorService pool, int count, String round) throws Exception {
    String rg = "rg-" + round;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("g%03d".formatted(i));
    }
    AtomicInteger next = new AtomicInteger();
    Map<String, Long> answered = new ConcurrentHashMap<>();
    // Watched as a user would watch a burst: one follow of the subscription's event stream, opened
    // before the first PUT. Listing every group every 200 ms instead took a quarter of a core from
    // the engines at 1,000 groups, a cost raw's side does not pay.
    RunningSeen stream = RunningSeen.follow(rg, count);
    long began = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  put(rg, names.get(i));
                  answered.put(names.get(i), System.nanoTime());
                }
                return null;
              }));
    }
    try {
      long deadline = began + GIVE_UP.toNanos();
      while (!stream.all()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + stream.running.size() + " of " + count + " groups Running after " + GIVE_UP);
        }
        for (Future<?> f : workers) {
          if (f.isDone()) {
            f.get(); // a failed PUT stops the run with its answer
          }
        }
        stream.check();
        stream.awaitAll(POLL_MILLIS);
      }
      Map<String, Long> running = new TreeMap<>(stream.running);
      // Where each ran, from one list after the end (not timed).
      Map<String, String> hostOf = new TreeMap<>();
      for (Map<String, Object> g : list(rg)) {
        hostOf.put((String) g.get("name"), (String) properties(g).get("hostName"));
      }
      long last = Collections.max(running.values());
      double seconds = (last - began) / 1e9;
      List<Double> latencies = new ArrayList<>();
      for (String name : names) {
        latencies.add((running.get(name) - began) / 1e9);
      }
      Map<String, Integer> perHost = new TreeMap<>();
      hostOf.values().forEach(h -> perHost.merge(h, 1, Integer::sum));
      if (!round.equals("warm")) {
        System.out.printf(
            "  Berth: %d PUTs answered in %.2f s; all Running after %.2f s; time to Running from"
                + " the first PUT p50 %.2f s p90 %.2f s; groups per host %s%n",
            count,
            (Collections.max(answered.values()) - began) / 1e9,
            seconds,
            percentile(latencies, 50),
            percentile(latencies, 90),
            perHost);
      }
      return count / seconds;
    } finally {
      stream.close();
      for (Future<?> f : workers) {
        f.cancel(true);
      }
      deleteAll(pool, rg, names);
    }
  }

  static void put(String rg, String name) throws Exception {
    String body =
        "{\"location\":\"local\",\"properties\":{\"osType\":\"Linux\",\"restartPolicy\":\"Always\","
            + "\"containers\":[{\"name\":\"main\",\"properties\":{\"image\":\""
            + image
            + "\",\"command\":[\"sleep\",\"3600\"],"
            + "\"resources\":{\"requests\":{\"cpu\":"
            + GROUP_CPU
            + ",\"memoryInGB\":"
            + GROUP_MEMORY_GB
            + "}}}}]}}";
    HttpResponse<String> put =
        send("PUT", groupPath(rg, name), body);
    if (put.statusCode() != 201 && put.statusCode() != 200) {
      throw new IllegalStateException("PUT " + name + " answered " + put.statusCode() + ": " + put.body());
    }
  }

  /** Deletes the groups (in parallel) and waits until none of them is listed any more. */
  static void deleteAll(ExecutorService pool, String rg, List<String> names) throws Exception {
    List<Future<?>> deletes = new ArrayList<>();
    for (String name : names) {
      deletes.add(pool.submit(() -> send("DELETE", groupPath(rg, name), null)));
    }
    for (Future<?> f : deletes) {
      Object answer = f.get();
      if (answer instanceof HttpResponse<?> r && r.statusCode() >= 300 && r.statusCode() != 404) {
        throw new IllegalStateException("DELETE answered " + r.statusCode() + ": " + r.body());
      }
    }
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (!list(rg).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("groups of " + rg + " still listed after " + GIVE_UP);
      }
      Thread.sleep(200);
    }
  }

  static String groupPath(String rg, String name) {
    return "/subscriptions/"
        + SUBSCRIPTION
        + "/resourceGroups/"
        + rg
        + "/providers/Microsoft.ContainerInstance/containerGroups/"
        + name
        + API;
  }

  /**
   * The first time each group of a resource group was told Running on the subscription's event
   * stream ({@code follow=true}, from the moment it is opened); a group told Failed ends the run.
   */
  static final class RunningSeen implements AutoCloseable {
    final Map<String, Long> running = new ConcurrentHashMap<>();
    private final String rg;
    private final int count;
    private final java.util.concurrent.CountDownLatch allSeen = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CompletableFuture<Void> opened = new java.util.concurrent.CompletableFuture<>();
    private volatile String failure;
    private volatile java.util.stream.Stream<String> lines;
    private final Thread reader;

    private RunningSeen(String rg, int count) {
      this.rg = rg;
      this.count = count;
      this.reader = new Thread(this::read, "events-" + rg);
      reader.setDaemon(true);
    }

    static RunningSeen follow(String rg, int count) throws Exception {
      RunningSeen seen = new RunningSeen(rg, count);
      seen.reader.start();
      // The stream starts with a comment at once: from then on nothing is missed.
      seen.opened.get(60, java.util.concurrent.TimeUnit.SECONDS);
      return seen;
    }

    @SuppressWarnings("unchecked")
    private void read() {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(
                        berth
                            + "/subscriptions/"
                            + SUBSCRIPTION
                            + "/providers/Microsoft.ContainerInstance/events"
                            + API
                            + "&follow=true"))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.util.stream.Stream<String>> response =
            http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("the event stream answered " + response.statusCode());
        }
        lines = response.body();
        String event = null;
        for (java.util.Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          opened.complete(null);
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:") && "StateChanged".equals(event)) {
            Map<String, Object> data = (Map<String, Object>) Json.parse(line.substring(5).trim());
            if (!rg.equals(data.get("resourceGroup"))) {
              continue;
            }
            String name = (String) data.get("containerGroup");
            if ("Failed".equals(data.get("state"))) {
              failure = "group " + name + " failed: " + data;
            } else if ("Running".equals(data.get("state"))) {
              running.putIfAbsent(name, System.nanoTime());
              if (running.size() >= count) {
                allSeen.countDown();
              }
            }
          } else if (line.isEmpty()) {
            event = null;
          }
        }
        if (!all()) {
          failure = "the event stream ended with " + running.size() + " of " + count + " Running";
        }
      } catch (Exception e) {
        if (!all()) {
          failure = "the event stream failed: " + e;
        }
        opened.completeExceptionally(e);
      }
    }

    boolean all() {
      return running.size() >= count;
    }

    void awaitAll(long millis) throws InterruptedException {
      allSeen.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void check() {
      if (failure != null && !all()) {
        throw new IllegalStateException(failure);
      }
    }

    @Override
    public void close() {
      java.util.stream.Stream<String> l = lines;
      if (l != null) {
        l.close();
      }
    }
  }

  /** Every group of the resource group, following nextLink. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(String rg) throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    String url =
        berth
            + "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/"
            + rg
            + "/providers/Microsoft.ContainerInstance/containerGroups"
            + API;
    while (url != null) {
      HttpResponse<String> page = sendUrl("GET", url, null);
      if (page.statusCode() != 200) {
        throw new IllegalStateException("list answered " + page.statusCode() + ": " + page.body());
      }
      Map<String, Object> result = (Map<String, Object>) Json.parse(page.body());
      Object value = result.get("value");
      if (value != null) {
        all.addAll((List<Map<String, Object>>) value);
      }
      url = (String) result.get("nextLink");
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> group) {
    return (Map<String, Object>) group.getOrDefault("properties", Map.of());
  }

  @SuppressWarnings("unchecked")
  static String groupState(Map<String, Object> group) {
    Object view = properties(group).get("instanceView");
    return view instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("state") : null;
  }

  static HttpResponse<String> send(String method, String path, String json) throws Exception {
    return sendUrl(method, berth + path, json);
  }

  static HttpResponse<String> sendUrl(String method, String url, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** vCPUs each group asks for (BERTH_BENCH_GROUP_CPU, default 0.1). */
  static final String GROUP_CPU = System.getenv().getOrDefault("BERTH_BENCH_GROUP_CPU", "0.1");

  /** GB of memory each group asks for (BERTH_BENCH_GROUP_MEMORY_GB, default 0.1). */
  static final String GROUP_MEMORY_GB = System.getenv().getOrDefault("BERTH_BENCH_GROUP_MEMORY_GB", "0.1");

  /** The limit Berth gives such a group's container: its GB in whole MiB, rounded up. */
  static long memoryBytes() {
    return (long) Math.ceil(Double.parseDouble(GROUP_MEMORY_GB) * 1024) * 1024 * 1024;
  }

  /** cpuAllocatable of every engine (BERTH_BENCH_CPU_ALLOCATABLE, default 1.0; up to 16). */
  static final String CPU_ALLOCATABLE = System.getenv().getOrDefault("BERTH_BENCH_CPU_ALLOCATABLE", "1.0");

  static void register(Engine engine, String publishAddress) throws Exception {
    HttpResponse<String> answer =
        send(
            "PUT",
            "/admin/hosts/" + engine.id(),
            "{\"endpoint\":\"unix://"
                + engine.socket()
                + "\",\"cpuAllocatable\":"
                + CPU_ALLOCATABLE
                + ",\"memoryAllocatable\":0.9,\"publishAddresses\":[\""
                + publishAddress
                + "\"],\"connectTimeoutSeconds\":1.0,\"responseTimeoutSeconds\":10.0}");
    if (answer.statusCode() != 201 && answer.statusCode() != 200) {
      throw new IllegalStateException(
          "registering " + engine.id() + " answered " + answer.statusCode() + ": " + answer.body());
    }
    awaitHostState(engine.id(), "Ready", Duration.ofSeconds(60));
  }

  @SuppressWarnings("unchecked")
  static String hostState(String id) throws Exception {
    HttpResponse<String> host = send("GET", "/admin/hosts/" + id, null);
    if (host.statusCode() != 200) {
      throw new IllegalStateException("GET host " + id + " answered " + host.statusCode());
    }
    return (String) ((Map<String, Object>) Json.parse(host.body())).get("state");
  }

  static void awaitHostState(String id, String state, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!state.equals(hostState(id))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("host " + id + " not " + state + " after " + within);
      }
      Thread.sleep(100);
    }
  }

  // ------------------------------------------------------------------ host loss

  static void hostLoss(ExecutorService pool, int count, Engine local, Engine spare, Engine doomed)
      throws Exception {
    String rg = "rg-loss";
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("lost%02d".formatted(i));
    }
    try {
      // Cordon the others while the groups are created, so all of them land on the doomed host.
      for (Engine other : List.of(local, spare)) {
        send("POST", "/admin/hosts/" + other.id() + "/cordon", null);
      }
      try {
        for (String name : names) {
          put(rg, name);
        }
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
          List<Map<String, Object>> groups = list(rg);
          if (groups.size() == count
              && groups.stream()
                  .allMatch(
                      g ->
                          "Running".equals(groupState(g))
                              && doomed.id().equals(properties(g).get("hostName")))) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the groups to lose did not all run on " + doomed.id());
          }
          Thread.sleep(100);
        }
      } finally {
        for (Engine other : List.of(local, spare)) {
          send("POST", "/admin/hosts/" + other.id() + "/uncordon", null);
        }
      }

      long killed = System.nanoTime();
      kill9(doomed);
      long lost = 0;
      Map<String, Long> placed = new TreeMap<>();
      Map<String, Long> running = new TreeMap<>();
      long deadline = killed + GIVE_UP.toNanos();
      while (running.size() < count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              running.size() + " of " + count + " groups Running elsewhere after " + GIVE_UP);
        }
        long seen = System.nanoTime();
        if (lost == 0 && "Lost".equals(hostState(doomed.id()))) {
          lost = seen;
        }
        for (Map<String, Object> g : list(rg)) {
          String name = (String) g.get("name");
          Object host = properties(g).get("hostName");
          if (host != null && !doomed.id().equals(host)) {
            placed.putIfAbsent(name, seen);
            if ("Running".equals(groupState(g))) {
              running.putIfAbsent(name, seen);
            }
          }
        }
        Thread.sleep(100);
      }
      if (lost == 0) {
        lost = System.nanoTime(); // the groups moved before a poll saw the host Lost
      }
      long allPlaced = Collections.max(placed.values());
      long allRunning = Collections.max(running.values());
      System.out.printf(
          "RESULT host loss: kill -9 of %s carrying %d Always groups -> all Running elsewhere in"
              + " %.1f s: detection %.1f s (kill -> host Lost), placement %.1f s (-> every group names"
              + " a new host), start %.1f s (-> all Running)%n",
          doomed.id(),
          count,
          (allRunning - killed) / 1e9,
          (lost - killed) / 1e9,
          (allPlaced - lost) / 1e9,
          (allRunning - allPlaced) / 1e9);
    } finally {
      deleteAll(pool, rg, names);
    }
  }

  /**
   * The host dies: SIGSTOP, then SIGKILL of dockerd, its descendants (containerd, docker-proxy),
   * and every process naming its exec-root (the shims, re-parented to init) with theirs (the
   * containers). Killing dockerd alone would leave its containers running: a cut-off host.
   */
  static void kill9(Engine engine) throws Exception {
    long dockerd = Long.parseLong(Files.readString(engine.dir().resolve("dockerd.pid")).trim());
    String execRoot = engine.dir().resolve("exec") + "/";
    Set<ProcessHandle> machine = new LinkedHashSet<>();
    ProcessHandle.of(dockerd)
        .ifPresent(
            p -> {
              machine.add(p);
              p.descendants().forEach(machine::add);
            });
    ProcessHandle.allProcesses()
        .filter(p -> commandLine(p.pid()).contains(execRoot))
        .forEach(
            p -> {
              machine.add(p);
              p.descendants().forEach(machine::add);
            });
    for (ProcessHandle p : machine) {
      new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor();
    }
    for (ProcessHandle p : machine) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : machine) {
      p.onExit().join();
    }
  }

  static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1)
          .replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /** Every engine that still answers: nothing of this run may be left on it. */
  static void leftoverCheck(List<Engine> engines) {
    for (Engine engine : engines) {
      for (String label : List.of("dev.berth.subscription=" + SUBSCRIPTION, "dev.berth.bench")) {
        try {
          String filter =
              java.net.URLEncoder.encode(
                  "{\"label\":[\"" + label + "\"]}", StandardCharsets.UTF_8);
          String found = engine(engine.socket(), "GET", "/containers/json?all=1&filters=" + filter, null);
          if (found.contains("\"dev.berth.bench\":\"fleet-" + RUN)
              || found.contains(SUBSCRIPTION)) {
            System.out.printf("LEFTOVER on %s: %s%n", engine.id(), found);
          }
        } catch (IOException | RuntimeException gone) {
          // A killed engine answers nothing; the script removes its whole directory.
        }
      }
    }
  }

  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  /** A minimal JSON reader (objects, arrays, strings, numbers, literals): no library here. */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Object parse(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.space();
      if (json.i != text.length()) {
        throw new IllegalArgumentException("trailing text at " + json.i);
      }
      return value;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private Object value() {
      space();
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        default:
          int start = i;
          while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          String word = s.substring(start, i);
          return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> Double.parseDouble(word);
          };
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      i++;
      space();
      if (s.charAt(i) == '}') {
        i++;
        return map;
      }
      while (true) {
        space();
        String name = string();
        space();
        i++; // ':'
        map.put(name, value());
        space();
        if (s.charAt(i++) == '}') {
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      i++;
      space();
      if (s.charAt(i) == ']') {
        i++;
        return list;
      }
      while (true) {
        list.add(value());
        space();
        if (s.charAt(i++) == ']') {
          return list;
        }
      }
    }

    private String string() {
      StringBuilder out = new StringBuilder();
      i++;
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
              out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> out.append(e);
          }
        } else {
          out.append(c);
        }
      }
    }
  }
}
