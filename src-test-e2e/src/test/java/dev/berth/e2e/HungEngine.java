package dev.berth.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A "Docker engine" that accepts every connection and never answers: the worst kind of host. */
final class HungEngine implements AutoCloseable {

  private final Path socket;
  private final ServerSocketChannel server;
  private final List<SocketChannel> held = new ArrayList<>();
  private final Thread acceptor;

  HungEngine(Path socket) throws IOException {
    this.socket = socket;
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  SocketChannel connection = server.accept();
                  synchronized (held) {
                    held.add(connection);
                  }
                }
              } catch (IOException closed) {
                // close() ends the loop.
              }
            },
            "hung-engine");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "unix://" + socket;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (held) {
      for (SocketChannel c : held) {
        c.close();
      }
    }
    Files.deleteIfExists(socket);
  }
}
