package dev.berth.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Unix socket in front of the real engine's: Berth talks to the engine through it, and the test
 * can cut it (the host becomes unreachable: its socket is gone) and restore it, while the
 * containers on the engine go on running.
 */
final class EngineProxy implements AutoCloseable {

  private final Path socket;
  private final Path engine;
  private final List<SocketChannel> open = new ArrayList<>();
  private ServerSocketChannel server;

  EngineProxy(Path socket, Path engine) throws IOException {
    this.socket = socket;
    this.engine = engine;
    restore();
  }

  String endpoint() {
    return "unix://" + socket;
  }

  /** The host answers again. */
  synchronized void restore() throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    ServerSocketChannel listening = server;
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  SocketChannel client = listening.accept();
                  SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
                  synchronized (this) {
                    open.add(client);
                    open.add(upstream);
                  }
                  pump(client, upstream);
                  pump(upstream, client);
                }
              } catch (IOException closed) {
                // cut() or close() ends the loop.
              }
            },
            "engine-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The host stops answering: no new connection gets through and open ones are dropped. */
  synchronized void cut() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
    for (SocketChannel c : open) {
      c.close();
    }
    open.clear();
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
              try {
                while (from.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
                to.shutdownOutput();
              } catch (IOException closed) {
                // either side went away
              }
            },
            "engine-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() throws IOException {
    cut();
  }
}
