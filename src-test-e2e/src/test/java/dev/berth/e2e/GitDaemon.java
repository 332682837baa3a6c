package dev.berth.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git server on 127.0.0.1: Debian's {@code git daemon} serving one bare repository that the
 * git CLI made, with two commits ("hello v1" tagged v1, then "hello v2" on main) and a file in a
 * subdirectory. scripts/lib/host.sh installs git.
 */
final class GitDaemon implements AutoCloseable {

  private final Process process;
  private final int port;

  private GitDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static GitDaemon start(Path dir) throws IOException, InterruptedException {
    Path work = dir.resolve("work");
    Path base = dir.resolve("base");
    Files.createDirectories(work);
    Files.createDirectories(base);
    git(dir, "init", "-q", "-b", "main", work.toString());
    Files.writeString(work.resolve("hello.txt"), "hello v1\n");
    Files.createDirectories(work.resolve("docs"));
    Files.writeString(work.resolve("docs/readme.txt"), "nested file\n");
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "first");
    git(work, "tag", "v1");
    Files.writeString(work.resolve("hello.txt"), "hello v2\n");
    git(work, "commit", "-q", "-am", "second");
    git(dir, "clone", "-q", "--bare", work.toString(), base.resolve("repo.git").toString());

    int port = freePort();
    List<String> command =
        List.of(
            "git",
            "daemon",
            "--reuseaddr",
            "--listen=127.0.0.1",
            "--port=" + port,
            "--base-path=" + base,
            "--export-all",
            "--informative-errors",
            base.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("git-daemon.log").toFile())
            .start();
    GitDaemon daemon = new GitDaemon(process, port);
    try {
      await("git daemon on 127.0.0.1:" + port)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .failFast("git daemon exited", () -> !process.isAlive())
          .ignoreExceptions()
          .until(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                  return true;
                }
              });
    } catch (RuntimeException | Error notUp) {
      daemon.close();
      throw notUp;
    }
    return daemon;
  }

  /** The served repository's URL. */
  String url() {
    return "git://127.0.0.1:" + port + "/repo.git";
  }

  /** Stops the daemon this test started, by its own process handle. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void git(Path in, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=berth-test"));
    command.addAll(List.of("-c", "user.email=test@berth.invalid", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(in.toFile());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("HOME", in.toString());
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
