package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.LogLine;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reading a container's output and running commands in it, over docker-java's streaming calls. */
final class DockerLogsAndExec {

  private final DockerClient client;
  private final Duration responseTimeout;

  DockerLogsAndExec(DockerClient client, Duration responseTimeout) {
    this.client = client;
    this.responseTimeout = responseTimeout;
  }

  List<LogLine> logs(String containerId, Instant since, int maxLines) {
    List<LogLine> lines = new ArrayList<>();
    var command = logCommand(containerId, since).withTail(maxLines);
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            LogLine line = parse(frame);
            if (line != null && (since == null || !line.time().isBefore(since))) {
              synchronized (lines) {
                lines.add(line);
              }
            }
          }
        };
    await("logs " + containerId, command.exec(callback), responseTimeout);
    synchronized (lines) {
      // stdout and stderr are copied separately by the engine: order them by its timestamps.
      lines.sort(java.util.Comparator.comparing(LogLine::time));
      return List.copyOf(lines);
    }
  }

  dev.berth.runtime.LogFollow follow(
      String containerId,
      Instant after,
      java.util.function.Consumer<LogLine> onLine,
      Runnable ended) {
    // The follow itself answers asynchronously: a missing container is found here, at once.
    client.inspectContainerCmd(containerId).exec();
    var once = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable end =
        () -> {
          if (once.compareAndSet(false, true)) {
            ended.run();
          }
        };
    var command = logCommand(containerId, after).withFollowStream(true);
    ResultCallback.Adapter<Frame> callback =
        command.exec(
            new ResultCallback.Adapter<>() {
              @Override
              public void onNext(Frame frame) {
                LogLine line = parse(frame);
                if (line != null && (after == null || line.time().isAfter(after))) {
                  onLine.accept(line);
                }
              }

              @Override
              public void onError(Throwable broken) {
                // Not the template's: it logs every broken stream with its stack trace. A follow
                // that breaks ends; the caller decides whether to follow again.
                try {
                  close();
                } catch (java.io.IOException ignored) {
                  // Gone either way.
                }
                end.run();
              }

              @Override
              public void onComplete() {
                super.onComplete();
                end.run();
              }
            });
    return () -> {
      try {
        callback.close();
      } catch (java.io.IOException ignored) {
        // Closing a stream that broke already.
      } finally {
        end.run();
      }
    };
  }

  /** Both streams, timestamped, from the whole second of {@code since}: callers cut exactly. */
  private com.github.dockerjava.api.command.LogContainerCmd logCommand(
      String containerId, Instant since) {
    var command =
        client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(true);
    if (since != null) {
      command.withSince((int) since.getEpochSecond());
    }
    return command;
  }

  /** A json-file line with timestamps reads {@code 2026-01-01T00:00:00.123456789Z text\n}. */
  private static LogLine parse(Frame frame) {
    String raw = new String(frame.getPayload(), StandardCharsets.UTF_8);
    int space = raw.indexOf(' ');
    if (space < 0) {
      return null;
    }
    try {
      Instant time = Instant.parse(raw.substring(0, space));
      String text = raw.substring(space + 1);
      if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      return new LogLine(
          time,
          frame.getStreamType() == StreamType.STDERR
              ? LogLine.Stream.STDERR
              : LogLine.Stream.STDOUT,
          text);
    } catch (DateTimeParseException notTimestamped) {
      return null;
    }
  }

  ExecResult exec(String containerId, List<String> argv, Duration deadline, int maxOutputBytes) {
    String execId =
        client
            .execCreateCmd(containerId)
            .withCmd(argv.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    BoundedBuffer out = new BoundedBuffer(maxOutputBytes);
    BoundedBuffer err = new BoundedBuffer(maxOutputBytes);
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
          }
        };
    boolean finished =
        await("exec in " + containerId, client.execStartCmd(execId).exec(callback), deadline);
    Long exitCode = finished ? client.inspectExecCmd(execId).exec().getExitCodeLong() : null;
    return new ExecResult(
        exitCode == null ? null : exitCode.intValue(),
        out.text(),
        err.text(),
        out.truncated() || err.truncated());
  }

  private static boolean await(
      String operation, ResultCallback.Adapter<Frame> callback, Duration deadline) {
    try {
      boolean done = callback.awaitCompletion(deadline.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        callback.close();
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(Kind.TRANSIENT, operation + ": interrupted", e);
    } catch (java.io.IOException e) {
      throw new RuntimeFailure(Kind.TRANSIENT, operation + ": " + e.getMessage(), e);
    }
  }

  /** Keeps the first {@code limit} bytes of a stream. */
  private static final class BoundedBuffer {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;

    BoundedBuffer(int limit) {
      this.limit = limit;
    }

    synchronized void write(byte[] chunk) {
      int room = limit - bytes.size();
      if (chunk.length > room) {
        truncated = true;
      }
      bytes.write(chunk, 0, Math.max(0, Math.min(room, chunk.length)));
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }
}
