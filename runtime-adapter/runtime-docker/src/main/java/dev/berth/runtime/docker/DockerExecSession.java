package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.berth.runtime.ExecSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An interactive exec with a terminal: docker-java hijacks the connection and streams stdin from a
 * queue fed by {@link #write}. A queue rather than piped streams: input arrives on whatever thread
 * the caller has, and a piped stream breaks when the thread that wrote to it ends.
 */
final class DockerExecSession implements ExecSession {

  private static final byte[] END = new byte[0];

  /**
   * With stdin attached, the hijacked stream does not end by itself when the command exits (the
   * stdin pump holds it): the engine's view of the exec is checked instead.
   */
  private static final java.util.concurrent.ScheduledExecutorService WATCHER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "berth-exec-watcher");
            t.setDaemon(true);
            return t;
          });

  private java.util.concurrent.ScheduledFuture<?> watch;

  private final DockerClient client;
  private final String execId;
  private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
  private final ResultCallback.Adapter<Frame> stream;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Runnable onEnded;

  DockerExecSession(
      DockerClient client,
      String containerId,
      List<String> argv,
      int rows,
      int columns,
      Consumer<byte[]> output,
      Runnable onEnded) {
    this.client = client;
    this.onEnded = onEnded;
    this.execId =
        client
            .execCreateCmd(containerId)
            .withCmd(argv.toArray(String[]::new))
            .withTty(true)
            .withAttachStdin(true)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withEnv(List.of("TERM=xterm", "COLUMNS=" + columns, "LINES=" + rows))
            .exec()
            .getId();
    this.stream =
        client
            .execStartCmd(execId)
            .withTty(true)
            .withDetach(false)
            .withStdIn(new QueueInputStream())
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    output.accept(frame.getPayload());
                  }

                  @Override
                  public void onComplete() {
                    super.onComplete();
                    end();
                  }

                  @Override
                  public void onError(Throwable throwable) {
                    super.onError(throwable);
                    end();
                  }
                });
    this.watch =
        WATCHER.scheduleWithFixedDelay(
            this::endIfExited, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void write(byte[] bytes) {
    if (!ended.get() && bytes.length > 0) {
      input.add(bytes);
    }
  }

  @Override
  public void resize(int rows, int columns) {
    try {
      client.resizeExecCmd(execId).withSize(rows, columns).exec();
    } catch (RuntimeException notRunningYetOrAnymore) {
      // A resize is a courtesy to the terminal; a session that ended has none to resize.
    }
  }

  @Override
  public void close() {
    input.add(END);
    try {
      stream.close();
    } catch (IOException e) {
      // Closing what is already closing.
    }
    end();
  }

  private void endIfExited() {
    try {
      if (!Boolean.TRUE.equals(client.inspectExecCmd(execId).exec().isRunning())) {
        close();
      }
    } catch (RuntimeException engineGoneOrExecGone) {
      close();
    }
  }

  private void end() {
    if (ended.compareAndSet(false, true)) {
      input.add(END);
      if (watch != null) {
        watch.cancel(false);
      }
      onEnded.run();
    }
  }

  /** Blocks for the next chunk of input; the empty chunk is the end. */
  private final class QueueInputStream extends InputStream {
    private byte[] current = new byte[0];
    private int position;
    private boolean finished;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (finished) {
        return -1;
      }
      while (position >= current.length) {
        try {
          current = input.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        position = 0;
        if (current == END) {
          finished = true;
          return -1;
        }
      }
      int n = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, n);
      position += n;
      return n;
    }
  }
}
