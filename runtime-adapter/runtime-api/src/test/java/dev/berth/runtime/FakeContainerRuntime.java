package dev.berth.runtime;

import dev.berth.runtime.RuntimeFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory {@link ContainerRuntime} for tests of pure logic. It passes the same contract suite
 * as the Docker adapter. A container whose command is {@code sh -c "exit N"} exits with N as soon
 * as it starts; any other container runs until stopped or until a test calls {@link #exit}.
 */
public final class FakeContainerRuntime implements ContainerRuntime {

  private static final Pattern EXIT = Pattern.compile("exit (\\d+)");

  private final Clock clock;
  private final HostDescription host;
  private final Map<String, FakeContainer> byId = new LinkedHashMap<>();
  private volatile boolean reachable = true;
  private int creates;

  public FakeContainerRuntime(Clock clock, HostDescription host) {
    this.clock = clock;
    this.host = host;
  }

  public FakeContainerRuntime(Clock clock) {
    this(clock, new HostDescription(4, 8L << 30, "fake"));
  }

  /** Makes every call fail as an engine that does not answer would. */
  public void setReachable(boolean reachable) {
    this.reachable = reachable;
  }

  /** How many containers were actually created (retried creates of an existing name excluded). */
  public synchronized int createCount() {
    return creates;
  }

  /** Ends a running container's process with {@code exitCode}, as if it exited by itself. */
  public synchronized void exit(String containerId, int exitCode, boolean oomKilled) {
    FakeContainer c = require(containerId);
    if (c.status == ContainerStatus.RUNNING) {
      c.terminate(exitCode, oomKilled, clock.instant());
    }
  }

  @Override
  public HostDescription describeHost() {
    checkReachable("describe host");
    return host;
  }

  @Override
  public void ping() {
    checkReachable("ping");
  }

  @Override
  public synchronized String create(ContainerSpec spec) {
    checkReachable("create");
    for (FakeContainer c : byId.values()) {
      if (c.spec.name().equals(spec.name())) {
        if (!c.spec.labels().entrySet().containsAll(spec.labels().entrySet())) {
          throw new RuntimeFailure(
              Kind.CONFLICT, "name " + spec.name() + " is taken by a container with other labels");
        }
        return c.id;
      }
    }
    if (!hasImageHere(spec.image())) {
      throw new RuntimeFailure(
          Kind.IMAGE_UNAVAILABLE,
          "create " + spec.name() + ": image " + spec.image() + " is not on the host");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    byId.put(id, new FakeContainer(id, spec, clock.instant(), events));
    creates++;
    return id;
  }

  @Override
  public synchronized void start(String containerId) {
    checkReachable("start");
    FakeContainer c = require(containerId);
    if (c.status == ContainerStatus.RUNNING) {
      return;
    }
    Instant now = clock.instant();
    c.status = ContainerStatus.RUNNING;
    c.startedAt = now;
    c.finishedAt = null;
    c.exitCode = null;
    c.oomKilled = false;
    Script script = Script.of(c.spec.command());
    for (LogLine line : script.lines(now)) {
      c.append(line);
    }
    if (script.exitCode() != null) {
      c.terminate(script.exitCode(), false, now);
    }
  }

  private final Map<String, Integer> stopExitCodes = new java.util.HashMap<>();

  /** Makes the container's process answer SIGTERM by exiting with {@code exitCode} (not 143). */
  public synchronized void exitsOnStopWith(String containerId, int exitCode) {
    stopExitCodes.put(containerId, exitCode);
  }

  @Override
  public synchronized void stop(String containerId, Duration grace) {
    checkReachable("stop");
    FakeContainer c = require(containerId);
    if (c.status == ContainerStatus.RUNNING) {
      c.terminate(stopExitCodes.getOrDefault(containerId, 143), false, clock.instant());
    }
  }

  @Override
  public synchronized void remove(String containerId) {
    checkReachable("remove");
    FakeContainer gone = byId.remove(containerId);
    if (gone != null) {
      gone.endFollows();
      events.add(gone.event(ContainerEvent.REMOVED, Map.of(), clock.instant()));
    }
    notifyAll();
  }

  /** What happened to its containers, oldest first; the stream {@link #followEvents} reads. */
  private final List<ContainerEvent> events = new ArrayList<>();

  /**
   * Delivers the window's events as they are recorded, and returns once this runtime's clock has
   * passed {@code until} (a hand-advanced clock ends the window when the test moves it on).
   */
  @Override
  public void followEvents(
      Map<String, String> labels,
      Instant since,
      Instant until,
      java.util.function.Consumer<ContainerEvent> onEvent) {
    int delivered = 0;
    while (true) {
      List<ContainerEvent> due = new ArrayList<>();
      boolean ended;
      synchronized (this) {
        checkReachable("events");
        for (; delivered < events.size(); delivered++) {
          ContainerEvent e = events.get(delivered);
          if (!e.at().isBefore(since)
              && e.at().isBefore(until)
              && e.attributes().entrySet().containsAll(labels.entrySet())
              && "true".equals(e.attributes().get(Labels.MANAGED))) {
            due.add(e);
          }
        }
        ended = !clock.instant().isBefore(until);
        if (due.isEmpty() && !ended) {
          try {
            wait(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(Kind.TRANSIENT, "events: interrupted");
          }
          continue;
        }
      }
      due.forEach(onEvent);
      if (ended && due.isEmpty()) {
        return;
      }
    }
  }

  @Override
  public synchronized Optional<ContainerObservation> inspect(String containerIdOrName) {
    checkReachable("inspect");
    return byId.values().stream()
        .filter(c -> c.id.equals(containerIdOrName) || c.spec.name().equals(containerIdOrName))
        .findFirst()
        .map(FakeContainer::observation);
  }

  /** A terminal session that behaves like {@code cat}: what is written comes back. */
  @Override
  public synchronized ExecSession openExec(
      String containerId,
      List<String> argv,
      int rows,
      int columns,
      java.util.function.Consumer<byte[]> output,
      Runnable ended) {
    checkReachable("exec");
    if (require(containerId).status != ContainerStatus.RUNNING) {
      throw new RuntimeFailure(Kind.CONFLICT, "container " + containerId + " is not running");
    }
    return new ExecSession() {
      private boolean closed;

      @Override
      public void write(byte[] input) {
        output.accept(input);
      }

      @Override
      public void resize(int newRows, int newColumns) {}

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          ended.run();
        }
      }
    };
  }

  private final Map<String, Map<String, byte[]>> volumes = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> volumeLabels = new LinkedHashMap<>();
  private final Map<String, Instant> volumeCreatedAt = new LinkedHashMap<>();

  @Override
  public synchronized List<ManagedVolume> listManagedVolumes(Map<String, String> labels) {
    checkReachable("list volumes");
    return volumes.keySet().stream()
        .filter(
            name -> "true".equals(volumeLabels.getOrDefault(name, Map.of()).get(Labels.MANAGED)))
        .filter(name -> volumeLabels.get(name).entrySet().containsAll(labels.entrySet()))
        .map(name -> new ManagedVolume(name, volumeLabels.get(name), volumeCreatedAt.get(name)))
        .toList();
  }

  /** The files of a volume, as a test may look at them. */
  public synchronized Map<String, byte[]> volume(String name) {
    return Map.copyOf(volumes.getOrDefault(name, Map.of()));
  }

  public synchronized boolean hasVolume(String name) {
    return volumes.containsKey(name);
  }

  @Override
  public synchronized void ensureVolume(String name, Map<String, String> labels) {
    checkReachable("create volume");
    volumes.putIfAbsent(name, new LinkedHashMap<>());
    volumeLabels.putIfAbsent(name, Map.copyOf(labels));
    volumeCreatedAt.putIfAbsent(name, clock.instant());
  }

  @Override
  public synchronized void removeVolume(String name) {
    checkReachable("remove volume");
    boolean inUse =
        byId.values().stream()
            .anyMatch(c -> c.spec.mounts().stream().anyMatch(m -> m.volume().equals(name)));
    if (inUse) {
      throw new RuntimeFailure(Kind.CONFLICT, "volume " + name + " is in use");
    }
    volumes.remove(name);
    hostDirectories.remove(name);
    volumeLabels.remove(name);
    volumeCreatedAt.remove(name);
  }

  @Override
  public synchronized void writeVolume(String name, Map<String, byte[]> files, String helperImage) {
    checkReachable("write volume");
    volumes.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(files);
  }

  private final Map<String, String> hostDirectories = new LinkedHashMap<>();

  @Override
  public synchronized void ensureHostDirectoryVolume(
      String name, String hostDirectory, Map<String, String> labels) {
    ensureVolume(name, labels);
    hostDirectories.putIfAbsent(name, hostDirectory);
  }

  /** The host directory a volume is bound to, or null for a plain named volume. */
  public synchronized String hostDirectoryOf(String name) {
    return hostDirectories.get(name);
  }

  @Override
  public synchronized void copyIntoVolume(
      String name, java.nio.file.Path source, String helperImage) {
    checkReachable("copy into volume");
    Map<String, byte[]> files = volumes.computeIfAbsent(name, n -> new LinkedHashMap<>());
    try (java.util.stream.Stream<java.nio.file.Path> tree = java.nio.file.Files.walk(source)) {
      for (java.nio.file.Path path : tree.filter(java.nio.file.Files::isRegularFile).toList()) {
        files.put(
            source.relativize(path).toString().replace('\\', '/'),
            java.nio.file.Files.readAllBytes(path));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public synchronized boolean volumeHasFile(String name, String file, String helperImage) {
    checkReachable("look into volume");
    if (hostDirectories.containsKey(name)) {
      return java.nio.file.Files.exists(java.nio.file.Path.of(hostDirectories.get(name), file));
    }
    Map<String, byte[]> files = volumes.get(name);
    return files != null && files.containsKey(file);
  }

  private final java.util.Set<String> pullable = new java.util.HashSet<>();
  private final java.util.Set<String> unavailable = new java.util.HashSet<>();

  /** {@code image} is not on the host yet but can be pulled. */
  public synchronized void pullable(String image) {
    pullable.add(image);
  }

  /** {@code image}, which could not be pulled, can be now (it was pushed meanwhile). */
  public synchronized void pullableAfterAll(String image) {
    unavailable.remove(image);
    pullable.add(image);
  }

  /** {@code image} is not on the host and cannot be pulled. */
  public synchronized void unavailable(String image) {
    unavailable.add(image);
  }

  @Override
  public synchronized boolean pullIfAbsent(String image) {
    checkReachable("pull");
    if (unavailable.contains(image)) {
      throw new RuntimeFailure(
          Kind.IMAGE_UNAVAILABLE, "image " + image + " is not on the host and could not be pulled");
    }
    return pullable.remove(image);
  }

  private final Map<String, String> credentials = new java.util.HashMap<>();
  private final Map<String, Instant> pulled = new LinkedHashMap<>();
  private final java.util.Set<String> removedImages = new java.util.HashSet<>();
  private final java.util.Set<String> slow = new java.util.HashSet<>();

  /** Pulls from {@code server} need this user and password (others are refused). */
  public synchronized void requireCredential(String server, String username, String password) {
    credentials.put(server, username + "\n" + password);
  }

  /** {@code image} takes longer to pull than any timeout a test gives. */
  public synchronized void slowToPull(String image) {
    slow.add(image);
  }

  @Override
  public synchronized boolean hasImage(String image) {
    checkReachable("inspect image");
    return hasImageHere(image);
  }

  private boolean hasImageHere(String image) {
    return !pullable.contains(image)
        && !unavailable.contains(image)
        && !removedImages.contains(image)
        && !image.startsWith("127.0.0.1:1/");
  }

  /**
   * Like a registry: an image on 127.0.0.1:1 is unreachable, an unavailable one unknown, one of a
   * server with a required credential refused without it; a pull reports 0 then all of 1 MiB.
   */
  @Override
  public void pull(
      String image,
      RegistryAuth auth,
      Duration timeout,
      java.util.function.Consumer<PullProgress> progress) {
    String server;
    String required;
    boolean tooSlow;
    synchronized (this) {
      checkReachable("pull");
      server = image.contains("/") ? image.substring(0, image.indexOf('/')) : "docker.io";
      required = credentials.get(server);
      tooSlow = slow.contains(image);
    }
    if (server.equals("127.0.0.1:1")) {
      throw new ImagePullFailure(
          ImagePullFailure.Reason.UNREACHABLE,
          "pull " + image + ": dial tcp 127.0.0.1:1: connect: connection refused",
          null);
    }
    if (required != null
        && (auth == null || !required.equals(auth.username() + "\n" + auth.password()))) {
      throw new ImagePullFailure(
          ImagePullFailure.Reason.UNAUTHORIZED,
          "pull " + image + ": unauthorized: authentication required",
          null);
    }
    synchronized (this) {
      if (unavailable.contains(image)) {
        throw new ImagePullFailure(
            ImagePullFailure.Reason.NOT_FOUND, "pull " + image + ": manifest unknown", null);
      }
    }
    if (tooSlow) {
      throw new ImagePullFailure(
          ImagePullFailure.Reason.TIMED_OUT,
          "the pull of " + image + " did not finish within " + timeout.toSeconds() + " s",
          null);
    }
    progress.accept(new PullProgress(0, 1 << 20));
    progress.accept(new PullProgress(1 << 20, 1 << 20));
    synchronized (this) {
      pullable.remove(image);
      removedImages.remove(image);
      pulled.put(image, clock.instant());
    }
  }

  @Override
  public synchronized List<HostImage> listImages() {
    checkReachable("list images");
    Map<String, Instant> lastUsed = new LinkedHashMap<>(pulled);
    java.util.Set<String> inUse = new java.util.HashSet<>();
    for (FakeContainer c : byId.values()) {
      lastUsed.merge(c.spec.image(), c.createdAt, (a, b) -> a.isAfter(b) ? a : b);
      inUse.add(c.spec.image());
    }
    List<HostImage> images = new ArrayList<>();
    lastUsed.forEach(
        (image, used) -> {
          if (!removedImages.contains(image)) {
            images.add(
                new HostImage(
                    imageId(image), List.of(image), 1 << 20, used, inUse.contains(image)));
          }
        });
    return images;
  }

  @Override
  public synchronized void removeImage(String imageId) {
    checkReachable("remove image");
    for (FakeContainer c : byId.values()) {
      if (imageId(c.spec.image()).equals(imageId)) {
        throw new RuntimeFailure(
            Kind.CONFLICT, "remove image " + imageId + ": a container is made from it");
      }
    }
    for (String image : List.copyOf(pulled.keySet())) {
      if (imageId(image).equals(imageId)) {
        pulled.remove(image);
        removedImages.add(image);
      }
    }
  }

  private static String imageId(String image) {
    return "sha256:" + Integer.toHexString(image.hashCode());
  }

  /** Appends a line to a container's output, as if it wrote it now. */
  public synchronized void write(String containerId, String text) {
    require(containerId).append(new LogLine(clock.instant(), LogLine.Stream.STDOUT, text));
  }

  private final Map<String, ContainerUsage> usages = new java.util.HashMap<>();

  /** Sets what a container uses, as the engine would count it; otherwise 10 ms CPU a second. */
  public synchronized void uses(String containerId, ContainerUsage usage) {
    usages.put(containerId, usage);
  }

  @Override
  public synchronized Optional<ContainerUsage> usage(String containerId) {
    checkReachable("stats");
    FakeContainer c = byId.get(containerId);
    if (c == null || c.status != ContainerStatus.RUNNING) {
      return Optional.empty();
    }
    if (usages.containsKey(containerId)) {
      return Optional.of(usages.get(containerId));
    }
    Instant now = clock.instant();
    long cpu = Duration.between(c.startedAt, now).toNanos() / 100;
    boolean ownNetwork = c.spec.networkOf() == null;
    return Optional.of(
        new ContainerUsage(
            now, cpu, 1 << 20, 2 << 20, ownNetwork ? 1000L : null, ownNetwork ? 500L : null));
  }

  @Override
  public synchronized LogFollow followLogs(
      String containerId,
      Instant after,
      java.util.function.Consumer<LogLine> onLine,
      Runnable ended) {
    checkReachable("logs");
    FakeContainer c = require(containerId);
    Follow follow = new Follow(after, onLine, ended);
    for (LogLine line : c.logs) {
      follow.offer(line);
    }
    if (c.status == ContainerStatus.RUNNING) {
      c.follows.add(follow);
    } else {
      follow.end();
    }
    return () -> {
      synchronized (FakeContainerRuntime.this) {
        c.follows.remove(follow);
      }
      follow.end();
    };
  }

  /** One follower of a fake container's output. */
  private static final class Follow {
    private final Instant after;
    private final java.util.function.Consumer<LogLine> onLine;
    private final Runnable ended;
    private final java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();

    Follow(Instant after, java.util.function.Consumer<LogLine> onLine, Runnable ended) {
      this.after = after;
      this.onLine = onLine;
      this.ended = ended;
    }

    void offer(LogLine line) {
      if (!done.get() && (after == null || line.time().isAfter(after))) {
        onLine.accept(line);
      }
    }

    void end() {
      if (done.compareAndSet(false, true)) {
        ended.run();
      }
    }
  }

  @Override
  public synchronized List<LogLine> logs(String containerId, Instant since, int maxLines) {
    checkReachable("logs");
    List<LogLine> lines =
        require(containerId).logs.stream()
            .filter(l -> since == null || !l.time().isBefore(since))
            .toList();
    return List.copyOf(lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
  }

  @Override
  public synchronized ExecResult exec(
      String containerId, List<String> argv, Duration deadline, int maxOutputBytes) {
    checkReachable("exec");
    if (require(containerId).status != ContainerStatus.RUNNING) {
      throw new RuntimeFailure(Kind.CONFLICT, "container " + containerId + " is not running");
    }
    if (argv.equals(List.of("cat", "/etc/resolv.conf"))) {
      return new ExecResult(0, resolvConf(require(containerId)), "", false);
    }
    Script script =
        argv.size() > 0 && argv.get(0).equals("echo")
            ? Script.of(List.of("sh", "-c", String.join(" ", argv)))
            : Script.of(argv);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    for (LogLine line : script.lines(clock.instant())) {
      (line.stream() == LogLine.Stream.STDERR ? err : out).append(line.text()).append('\n');
    }
    return new ExecResult(
        script.exitCode() == null ? 0 : script.exitCode(), out.toString(), err.toString(), false);
  }

  /**
   * As the engine writes it: from the dnsConfig of the container owning the network namespace, or
   * the host's default (here one made-up server).
   */
  private String resolvConf(FakeContainer container) {
    FakeContainer owner = container;
    if (container.spec.networkOf() != null) {
      owner =
          byId.values().stream()
              .filter(c -> c.spec.name().equals(container.spec.networkOf()))
              .findFirst()
              .orElse(container);
    }
    return owner.spec.dns() == null ? "nameserver 127.0.0.11\n" : owner.spec.dns().resolvConf();
  }

  /** The few shell forms the fake understands. */
  private record Script(List<String[]> echoes, Integer exitCode) {

    static Script of(List<String> command) {
      List<String[]> echoes = new ArrayList<>();
      Integer exitCode = null;
      String text = command.size() >= 3 && command.get(1).equals("-c") ? command.get(2) : "";
      for (String part : text.split(";")) {
        String statement = part.trim();
        Matcher exit = EXIT.matcher(statement);
        if (statement.startsWith("echo ")) {
          boolean stderr = statement.endsWith(">&2");
          String words =
              statement.substring(5, stderr ? statement.length() - 3 : statement.length()).trim();
          echoes.add(new String[] {stderr ? "STDERR" : "STDOUT", words});
        } else if (exit.matches()) {
          exitCode = Integer.parseInt(exit.group(1));
        }
      }
      return new Script(echoes, exitCode);
    }

    List<LogLine> lines(Instant at) {
      // The engine stamps each line in nanoseconds as it reads it: no two lines share a time.
      List<LogLine> lines = new ArrayList<>();
      for (String[] e : echoes) {
        lines.add(new LogLine(at.plusNanos(lines.size()), LogLine.Stream.valueOf(e[0]), e[1]));
      }
      return lines;
    }
  }

  @Override
  public synchronized List<ManagedContainer> listManaged(Map<String, String> labels) {
    checkReachable("list managed");
    List<ManagedContainer> managed = new ArrayList<>();
    for (FakeContainer c : byId.values()) {
      if ("true".equals(c.spec.labels().get(Labels.MANAGED))
          && c.spec.labels().entrySet().containsAll(labels.entrySet())) {
        managed.add(
            new ManagedContainer(c.id, c.spec.name(), c.spec.labels(), c.status, c.createdAt));
      }
    }
    return managed;
  }

  private void checkReachable(String operation) {
    if (!reachable) {
      throw new RuntimeFailure(Kind.HOST_UNREACHABLE, operation + ": fake host is unreachable");
    }
  }

  private FakeContainer require(String containerId) {
    FakeContainer c = byId.get(containerId);
    if (c == null) {
      throw new RuntimeFailure(Kind.NOT_FOUND, "no such container: " + containerId);
    }
    return c;
  }

  private static final class FakeContainer {
    final String id;
    final ContainerSpec spec;
    final Instant createdAt;
    ContainerStatus status = ContainerStatus.CREATED;
    Instant startedAt;
    Instant finishedAt;
    Integer exitCode;
    boolean oomKilled;
    final List<LogLine> logs = new ArrayList<>();
    final List<Follow> follows = new ArrayList<>();
    final List<ContainerEvent> events;

    FakeContainer(String id, ContainerSpec spec, Instant createdAt, List<ContainerEvent> events) {
      this.events = events;
      this.id = id;
      this.spec = spec;
      this.createdAt = createdAt;
    }

    void append(LogLine given) {
      // The engine stamps in nanoseconds as it reads: later lines never share an earlier time.
      LogLine line = given;
      if (!logs.isEmpty() && !line.time().isAfter(logs.get(logs.size() - 1).time())) {
        line =
            new LogLine(logs.get(logs.size() - 1).time().plusNanos(1), line.stream(), line.text());
      }
      logs.add(line);
      for (Follow f : List.copyOf(follows)) {
        f.offer(line);
      }
    }

    void endFollows() {
      for (Follow f : List.copyOf(follows)) {
        f.end();
      }
      follows.clear();
    }

    void terminate(int code, boolean oom, Instant at) {
      endFollows();
      if (status == ContainerStatus.RUNNING) {
        events.add(event(ContainerEvent.DIED, Map.of("exitCode", Integer.toString(code)), at));
      }
      status = ContainerStatus.EXITED;
      exitCode = code;
      oomKilled = oom;
      finishedAt = at;
    }

    ContainerEvent event(String action, Map<String, String> extra, Instant at) {
      Map<String, String> attributes = new LinkedHashMap<>(spec.labels());
      attributes.put("name", spec.name());
      attributes.putAll(extra);
      return new ContainerEvent(id, action, attributes, at);
    }

    ContainerObservation observation() {
      return new ContainerObservation(
          id,
          spec.name(),
          spec.labels(),
          status,
          exitCode,
          startedAt,
          finishedAt,
          oomKilled,
          null,
          spec.resources(),
          status == ContainerStatus.RUNNING && spec.networkOf() == null ? address() : null);
    }

    /** A stable address of its own, as the engine's bridge would give it. */
    String address() {
      int n = Math.floorMod(id.hashCode(), 250) + 2;
      return "10.88.0." + n;
    }
  }
}
