package dev.berth.service.web;

import dev.berth.runtime.ExecSession;
import dev.berth.service.host.HostRuntimes;
import dev.berth.service.workload.ExecTickets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The WebSocket end of an interactive exec (ACI's protocol): the first message is the ticket's
 * password; after it, messages are the terminal's input and the terminal's output comes back as
 * text. The socket closes when the command ends, and the command gets a hangup when the socket
 * closes.
 */
public class TerminalWebSocket extends AbstractWebSocketHandler {

  /** Where tickets are redeemed: {@code /exec-sessions/<token>}. */
  public static final String PATH = "/exec-sessions/";

  private static final Logger log = LoggerFactory.getLogger(TerminalWebSocket.class);

  /**
   * Closes sockets whose command ended. Not on the engine's stream thread: it is interrupted as the
   * stream ends, and an interrupted thread makes Tomcat abort the close frame and drop the
   * connection (clients then see 1006, abnormal closure, instead of 1000).
   */
  private static final java.util.concurrent.ExecutorService CLOSER =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "berth-terminal-closer");
            t.setDaemon(true);
            return t;
          });

  private final ExecTickets tickets;
  private final HostRuntimes hosts;
  private final Map<String, ExecSession> open = new ConcurrentHashMap<>();

  public TerminalWebSocket(ExecTickets tickets, HostRuntimes hosts) {
    this.tickets = tickets;
    this.hosts = hosts;
  }

  @Override
  protected void handleTextMessage(WebSocketSession socket, TextMessage message)
      throws IOException {
    handle(socket, message.getPayload().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message)
      throws IOException {
    byte[] bytes = new byte[message.getPayload().remaining()];
    message.getPayload().get(bytes);
    handle(socket, bytes);
  }

  private void handle(WebSocketSession socket, byte[] bytes) throws IOException {
    ExecSession session = open.get(socket.getId());
    if (session != null) {
      session.write(bytes);
      return;
    }
    String path = socket.getUri() == null ? "" : socket.getUri().getPath();
    String token = path.substring(path.lastIndexOf('/') + 1);
    var ticket = tickets.redeem(token, new String(bytes, StandardCharsets.UTF_8).trim());
    if (ticket.isEmpty()) {
      socket.close(
          CloseStatus.POLICY_VIOLATION.withReason(
              "unknown, used or expired ticket, or wrong password"));
      return;
    }
    // Output comes on the engine's stream thread; sends and the final close are serialised on the
    // socket, so the close frame follows the last output instead of racing it.
    WebSocketSession out = socket;
    var s = ticket.get();
    try {
      open.put(
          socket.getId(),
          hosts
              .forHost(s.hostId())
              .openExec(
                  s.containerId(),
                  s.argv(),
                  s.rows(),
                  s.columns(),
                  chunk -> send(out, chunk),
                  () -> CLOSER.execute(() -> closeQuietly(out, CloseStatus.NORMAL))));
    } catch (RuntimeException e) {
      log.info("could not open a terminal: {}", e.getMessage());
      socket.close(CloseStatus.SERVER_ERROR.withReason("the command could not be started"));
    }
  }

  private static void send(WebSocketSession socket, byte[] chunk) {
    try {
      synchronized (socket) {
        if (socket.isOpen()) {
          socket.sendMessage(new TextMessage(new String(chunk, StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      closeQuietly(socket, CloseStatus.SESSION_NOT_RELIABLE);
    }
  }

  private static void closeQuietly(WebSocketSession socket, CloseStatus status) {
    try {
      synchronized (socket) {
        if (socket.isOpen()) {
          socket.close(status);
        }
      }
    } catch (IOException e) {
      // Already going.
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
    ExecSession session = open.remove(socket.getId());
    if (session != null) {
      session.close();
    }
  }
}
