package dev.berth.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine the test starts and controls: a simulated host of its own, with its own socket,
 * data-root, exec-root, pidfile and bridge (see ../shared/ENVIRONMENT.md; never {@code --bridge
 * none}, which deletes the default engine's docker0). Must run as root.
 *
 * <p>What "killing a host" means here: {@link #kill9()} SIGKILLs the whole machine as far as the
 * engine goes: dockerd, the containerd it started, every containerd-shim serving its containers
 * (they re-parent to init, so they are found by the exec-root in their command line, not as
 * dockerd's descendants), every container process under those shims and dockerd's docker-proxy
 * processes. Killing dockerd alone would leave the containers running on a host Berth must treat as
 * gone, which is not a dead host but a cut-off one; {@link #pause()} is that case.
 */
final class Dockerd implements AutoCloseable {

  private static final Set<Dockerd> LIVE = new LinkedHashSet<>();
  private static final Set<Integer> SUBNETS_IN_USE = new LinkedHashSet<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // A failed test never leaves an engine behind.
                  for (Dockerd d : List.copyOf(LIVE)) {
                    d.close();
                  }
                },
                "dockerd-cleanup"));
  }

  private final String name;
  private final int subnet;
  private final String bridge;
  private final Path dir;
  private final Path socket;
  private Process process;

  private Dockerd(String name, int subnet, Path dir) {
    this.name = name;
    this.subnet = subnet;
    this.bridge = "bre2e-" + name;
    this.dir = dir;
    this.socket = Path.of("/run/berth-e2e-" + name + ".sock");
  }

  /**
   * Starts a fresh engine named {@code name} (a few lowercase letters and digits), on a bridge of
   * its own in 172.31.240-249.0/24, with the sample image loaded from the default engine.
   */
  static Dockerd start(String name) {
    if (!name.matches("[a-z0-9]{1,8}")) {
      throw new IllegalArgumentException("engine name: 1-8 lowercase letters and digits");
    }
    Path dir =
        Path.of(System.getProperty("berth.workdir", "target/e2e"))
            .toAbsolutePath()
            .resolve("engines")
            .resolve(name);
    Dockerd engine;
    synchronized (LIVE) {
      engine = new Dockerd(name, freeSubnet(), dir);
      SUBNETS_IN_USE.add(engine.subnet);
      LIVE.add(engine);
    }
    try {
      engine.prepareFreshDirectories();
      engine.createBridge();
      engine.launch();
      engine.loadSampleImage();
      return engine;
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  String endpoint() {
    return "unix://" + socket;
  }

  /** The address its containers' bridge has, e.g. 172.31.240.1/24. */
  String bridgeCidr() {
    return "172.31." + subnet + ".1/24";
  }

  long pid() {
    return process.pid();
  }

  boolean answers(Duration within) {
    return new EngineSocket(endpoint(), within).answers();
  }

  /** The host dies: SIGKILL of dockerd and of everything that runs its containers. */
  void kill9() {
    List<ProcessHandle> machine = processesOfThisEngine();
    // Freeze first, so nothing reaps, restarts or forks while the rest is being killed.
    for (ProcessHandle p : machine) {
      signal("STOP", p.pid());
    }
    for (ProcessHandle p : machine) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : machine) {
      p.onExit().join();
    }
  }

  /** The engine hangs (SIGSTOP of dockerd): its API stops answering, its containers run on. */
  void pause() {
    signal("STOP", process.pid());
    // kill(2) returns once the signal is queued; the group stop itself waits until one of dockerd's
    // threads is scheduled to take it, and until then the other threads go on answering. On two
    // loaded cores that is long enough for a request to get through, so wait for every thread.
    await(this + " to be stopped")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> everyThreadStopped(process.pid()));
  }

  /** Whether each thread of {@code pid} is in state T (stopped), read from /proc. */
  private static boolean everyThreadStopped(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.allMatch(Dockerd::isStopped);
    }
  }

  private static boolean isStopped(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      // pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'.
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
    } catch (IOException threadGone) {
      return true;
    }
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() {
    signal("CONT", process.pid());
  }

  /**
   * The host comes back after {@link #kill9()}: dockerd again on the same directories and bridge.
   * Without --live-restore it finds its containers' tasks gone and records them as exited.
   */
  void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("kill it first");
    }
    launch();
  }

  /**
   * Stops the engine and leaves nothing behind: its containers removed (if it answers), dockerd
   * stopped by its pid, whatever else of it still runs killed, its mounts unmounted, its bridge
   * deleted. Safe to call twice.
   */
  @Override
  public void close() {
    synchronized (LIVE) {
      if (!LIVE.contains(this)) {
        return;
      }
    }
    try {
      if (process != null && process.isAlive()) {
        resume();
        if (answers(Duration.ofSeconds(5))) {
          removeAllContainers();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      for (ProcessHandle p : processesOfThisEngine()) {
        p.destroyForcibly();
        p.onExit().join();
      }
      unmountLeftovers();
      if (run(false, "ip", "link", "show", bridge).exit() == 0) {
        run(true, "ip", "link", "del", bridge);
      }
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (LIVE) {
        LIVE.remove(this);
        SUBNETS_IN_USE.remove(subnet);
      }
    }
  }

  @Override
  public String toString() {
    return "engine " + name + " (" + endpoint() + ")";
  }

  private static int freeSubnet() {
    String addresses = run(true, "ip", "-4", "addr").output();
    for (int x = 240; x <= 249; x++) {
      if (!SUBNETS_IN_USE.contains(x) && !addresses.contains("172.31." + x + ".")) {
        return x;
      }
    }
    throw new IllegalStateException("no free 172.31.240-249.0/24 for another engine's bridge");
  }

  private void prepareFreshDirectories() {
    try {
      if (Files.exists(dir)) {
        // A previous run that died before close(): never delete through a live mount.
        unmountLeftovers();
        try (Stream<Path> tree = Files.walk(dir)) {
          tree.sorted(Comparator.reverseOrder()).forEach(Dockerd::deleteQuietly);
        }
      }
      Files.createDirectories(dir.resolve("data"));
      Files.createDirectories(dir.resolve("exec"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (Files.exists(socket)) {
      if (new EngineSocket(endpoint(), Duration.ofSeconds(2)).answers()) {
        throw new IllegalStateException(socket + " is served by an engine this test did not start");
      }
      deleteQuietly(socket);
    }
  }

  private void createBridge() {
    if (run(false, "ip", "link", "show", bridge).exit() == 0) {
      throw new IllegalStateException("bridge " + bridge + " exists already");
    }
    run(true, "ip", "link", "add", bridge, "type", "bridge");
    run(true, "ip", "addr", "add", bridgeCidr(), "dev", bridge);
    run(true, "ip", "link", "set", bridge, "up");
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(
                  "dockerd",
                  "--host",
                  endpoint(),
                  "--data-root",
                  dir.resolve("data").toString(),
                  "--exec-root",
                  dir.resolve("exec").toString(),
                  "--pidfile",
                  dir.resolve("dockerd.pid").toString(),
                  "--bridge",
                  bridge,
                  "--iptables=false")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await(this + " to answer (log: " + dir.resolve("dockerd.log") + ")")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    this + " exited with " + process.exitValue() + "; see its dockerd.log");
              }
              return answers(Duration.ofSeconds(2));
            });
  }

  private void loadSampleImage() {
    run(
        true,
        "sh",
        "-c",
        "docker save '" + Groups.IMAGE + "' | docker -H '" + endpoint() + "' load -q");
  }

  private void removeAllContainers() {
    String ids = run(false, "docker", "-H", endpoint(), "ps", "-aq").output().trim();
    if (!ids.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("docker", "-H", endpoint(), "rm", "-f"));
      command.addAll(List.of(ids.split("\\s+")));
      run(false, command.toArray(String[]::new));
    }
  }

  /**
   * dockerd and its descendants (containerd, docker-proxy), plus every process whose command line
   * names this engine's exec-root (the shims, re-parented to init) and their descendants (the
   * containers' processes).
   */
  private List<ProcessHandle> processesOfThisEngine() {
    String execRoot = dir.resolve("exec") + "/";
    Set<ProcessHandle> found = new LinkedHashSet<>();
    if (process != null && process.isAlive()) {
      found.add(process.toHandle());
      process.descendants().forEach(found::add);
    }
    ProcessHandle.allProcesses()
        .filter(p -> commandLine(p.pid()).contains(execRoot))
        .forEach(
            p -> {
              found.add(p);
              p.descendants().forEach(found::add);
            });
    return List.copyOf(found);
  }

  private static String commandLine(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /** Unmounts (lazily, deepest first) whatever is still mounted under this engine's directory. */
  private void unmountLeftovers() {
    try {
      String prefix = dir.toString() + "/";
      List<String> mountPoints =
          Files.readAllLines(Path.of("/proc/self/mounts")).stream()
              .map(line -> line.split(" ")[1].replace("\\040", " "))
              .filter(point -> point.startsWith(prefix))
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toList();
      for (String point : mountPoints) {
        run(false, "umount", "-l", point);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void signal(String signal, long pid) {
    run(false, "kill", "-" + signal, Long.toString(pid));
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(boolean mustSucceed, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      if (mustSucceed && exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return new Result(exit, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
