package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * An interactive exec over ACI's terminal socket: the password first, then this terminal's
 * keystrokes in and the container terminal's output out, until the command ends. When stdin and
 * stdout are a terminal it is put in raw mode (stty) for the session, so keys such as Ctrl-C and
 * arrows reach the container; when stdin is a pipe, its end is sent as Ctrl-D.
 */
final class Terminal {

  private static final String EOT = "\u0004";

  private Terminal() {}

  /** Rows and columns of this terminal: stty's, else LINES and COLUMNS, else 24 x 80. */
  static int[] size() {
    if (System.console() != null) {
      String size = stty("size").trim();
      String[] parts = size.split("\\s+");
      if (parts.length == 2) {
        try {
          return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException notASize) {
          // fall through
        }
      }
    }
    return new int[] {number(System.getenv("LINES"), 24), number(System.getenv("COLUMNS"), 80)};
  }

  private static int number(String value, int otherwise) {
    try {
      return value == null ? otherwise : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /**
   * Runs the session to its end.
   *
   * @return 0 when the command ended, 1 when Berth refused or broke the session
   */
  static int session(String webSocketUri, String password, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    CompletableFuture<String> ended = new CompletableFuture<>(); // null: a normal end
    WebSocket socket;
    try {
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create(webSocketUri), new Output(out, ended))
              .get();
    } catch (ExecutionException e) {
      err.println("could not open the terminal: " + e.getCause().getMessage());
      return Berth.REFUSED;
    }
    socket.sendText(password, true).join();
    String saved = System.console() != null ? stty("-g").trim() : null;
    Thread restore = saved == null ? null : new Thread(() -> stty(saved), "berth-terminal-restore");
    if (restore != null) {
      Runtime.getRuntime().addShutdownHook(restore); // Ctrl-C or a kill leaves a sane terminal
      stty("raw -echo");
    }
    String why;
    try {
      Thread input = new Thread(() -> pump(System.in, socket), "berth-terminal-input");
      input.setDaemon(true);
      input.start();
      try {
        why = ended.get();
      } catch (ExecutionException e) {
        why = "the terminal broke: " + e.getCause().getMessage();
      }
    } finally {
      if (restore != null) {
        stty(saved);
        Runtime.getRuntime().removeShutdownHook(restore);
      }
    }
    if (why != null) {
      err.println(why); // after the terminal is back to normal
      return Berth.REFUSED;
    }
    return 0;
  }

  /** This terminal's keystrokes (or a pipe's bytes) to the container's terminal. */
  private static void pump(InputStream in, WebSocket socket) {
    byte[] buffer = new byte[4096];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0) {
          socket.sendBinary(ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer(), true).join();
        }
      }
      socket.sendText(EOT, true).join(); // the end of a pipe, as Ctrl-D on a terminal
    } catch (IOException | RuntimeException closed) {
      // The session ended first.
    }
  }

  /** The container terminal's output, and how the session ended. */
  private static final class Output implements WebSocket.Listener {
    private final PrintWriter out;
    private final CompletableFuture<String> ended;

    Output(PrintWriter out, CompletableFuture<String> ended) {
      this.out = out;
      this.ended = ended;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      out.print(data);
      out.flush();
      socket.request(1);
      return null;
    }

    /** One decoder across frames: a character split over two of them is not lost. */
    private final java.nio.charset.CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);

    private ByteBuffer carry = ByteBuffer.allocate(0);

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      ByteBuffer in = ByteBuffer.allocate(carry.remaining() + data.remaining());
      in.put(carry).put(data).flip();
      java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(in.remaining());
      utf8.decode(in, chars, false); // an incomplete last character waits for the next frame
      carry = ByteBuffer.allocate(in.remaining()).put(in).flip();
      chars.flip();
      out.print(chars);
      out.flush();
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      ended.complete(
          status == WebSocket.NORMAL_CLOSURE
              ? null
              : "the terminal closed (" + status + (reason.isEmpty() ? "" : ": " + reason) + ")");
      return socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      ended.completeExceptionally(error);
    }
  }

  /** Runs stty on this terminal; its output, or "" when it could not. */
  private static String stty(String arguments) {
    try {
      Process p =
          new ProcessBuilder("sh", "-c", "stty " + arguments + " < /dev/tty")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 ? output : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
