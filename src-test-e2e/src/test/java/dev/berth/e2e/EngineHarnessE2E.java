package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fleet tests' own tools, checked without Berth: an engine the test starts, hangs, kills and
 * brings back, and a scan that really does see two running copies of a group when there are two.
 */
class EngineHarnessE2E {

  @Test
  void anEngineHangsDiesComesBackAndLeavesNothingBehind() throws Exception {
    String sub = Groups.unique("harness");
    try (Dockerd engine = Dockerd.start("hx1")) {
      EngineScan scan =
          new EngineScan(
              Map.of("hx1", engine.endpoint(), "local", Hosts.LOCAL_ENDPOINT), Set.of(sub));
      // Two copies of one group's container, one per engine, as Berth labels them.
      String here = runLabelled(engine.endpoint(), sub, "g-1", "1");
      String there = runLabelled(Hosts.LOCAL_ENDPOINT, sub, "g-1", "2");
      try {
        assertThat(scan.scan().runningTwice()).containsOnlyKeys("g-1/main");

        engine.pause();
        EngineScan.Seen whilePaused = scan.scan();
        assertThat(whilePaused.unanswered()).containsExactly("hx1");
        assertThat(whilePaused.enginesRunning(sub, "g")).containsExactly("local");
        engine.resume();
        assertThat(scan.scan().enginesRunning(sub, "g")).containsExactlyInAnyOrder("hx1", "local");

        long containerProcess = processOf(engine, here);
        engine.kill9();
        assertThat(ProcessHandle.of(containerProcess)).isEmpty();
        assertThat(scan.scan().unanswered()).containsExactly("hx1");

        engine.restart();
        // Its container did not survive the host: recorded as exited, not running.
        await("the killed host's container to be seen exited")
            .atMost(Duration.ofSeconds(30))
            .until(() -> scan.scan().enginesRunning(sub, "g").equals(Set.of("local")));
      } finally {
        docker(Hosts.LOCAL_ENDPOINT, "rm", "-f", there);
      }
    }
    // close(): no bridge, no socket, nothing mounted under its directories.
    assertThat(run("sh", "-c", "ip link show bre2e-hx1 2>&1 || true")).contains("does not exist");
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/berth-e2e-hx1.sock")))
        .isFalse();
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/mounts")))
        .doesNotContain("/engines/hx1/");
  }

  private static String runLabelled(String endpoint, String sub, String groupId, String generation)
      throws Exception {
    return docker(
            endpoint,
            "run",
            "-d",
            "--init",
            "--label",
            "dev.berth.managed=true",
            "--label",
            "dev.berth.subscription=" + sub,
            "--label",
            "dev.berth.group-name=g",
            "--label",
            "dev.berth.group-id=" + groupId,
            "--label",
            "dev.berth.container=main",
            "--label",
            "dev.berth.generation=" + generation,
            Groups.IMAGE,
            "sleep",
            "3600")
        .trim();
  }

  /** The pid of the container's first process (it dies with its host). */
  private static long processOf(Dockerd engine, String containerId) throws Exception {
    return Long.parseLong(
        docker(engine.endpoint(), "inspect", "-f", "{{.State.Pid}}", containerId).trim());
  }

  private static String docker(String endpoint, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker", "-H", endpoint));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
