package dev.berth.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A Unix socket in front of the real engine's that can hide the engine's event stream from Berth
 * while every other call gets through: while dropping, a request for the events API is answered by
 * closing its connection, so the stream Berth follows breaks and every reconnect fails, and the
 * test can show that what Berth repairs then was found by its listing, not by an event.
 *
 * <p>The client's side is read request by request (docker-java's httpclient5 reuses keep-alive
 * connections, so an events request can come on a connection that served others; see {@link
 * HttpRequestStream}): request line and headers, then a Content-Length or chunked body. After a
 * request that asks for an {@code Upgrade} (exec and attach hijack the connection) both ways are
 * pumped raw. The engine's side is always pumped raw.
 */
final class EventsDroppingProxy implements AutoCloseable {

  /** The events API, unversioned or versioned ({@code /v1.41/events}), with any query. */
  private static final Pattern EVENTS = Pattern.compile("/(v[0-9.]+/)?events([?].*)?");

  /** Every event the engine streams is one JSON object with this member. */
  private static final byte[] EVENT_MARK = "\"Action\":".getBytes(StandardCharsets.US_ASCII);

  private final Path socket;
  private final Path engine;
  private final ServerSocketChannel server;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger forwarded = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private boolean dropping;

  EventsDroppingProxy(Path socket, Path engine) throws IOException {
    this.socket = socket;
    this.engine = engine;
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    daemon(this::accept, "events-proxy");
  }

  String endpoint() {
    return "unix://" + socket;
  }

  /** From now on every events request is refused, and the event streams open now are cut. */
  synchronized void startDropping() {
    dropping = true;
    for (Connection c : open) {
      if (c.servingEvents) {
        c.close();
      }
    }
  }

  /** Events requests get through again. */
  synchronized void stopDropping() {
    dropping = false;
  }

  /** Events requests refused (their connection closed) so far. */
  int refusedEventRequests() {
    return refused.get();
  }

  /** Events requests passed on to the engine so far. */
  int forwardedEventRequests() {
    return forwarded.get();
  }

  /** Events the engine's streams carried to the client so far. */
  long eventsDelivered() {
    return delivered.get();
  }

  /** Decides, atomically with {@link #startDropping}, whether an events request goes on. */
  private synchronized boolean admit(Connection c, boolean events) {
    if (events && dropping) {
      refused.incrementAndGet();
      return false;
    }
    if (events) {
      forwarded.incrementAndGet();
    }
    c.servingEvents = events;
    return true;
  }

  private void accept() {
    try {
      while (true) {
        SocketChannel client = server.accept();
        SocketChannel upstream;
        try {
          upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
        } catch (IOException engineGone) {
          client.close();
          continue;
        }
        Connection c = new Connection(client, upstream);
        open.add(c);
        daemon(c::requests, "events-proxy-requests");
        daemon(c::responses, "events-proxy-responses");
      }
    } catch (IOException closed) {
      // close() ends the loop.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
    open.forEach(Connection::close);
  }

  /** One client connection and the engine connection it is forwarded on. */
  private final class Connection {

    private final SocketChannel client;
    private final SocketChannel upstream;
    private final AtomicInteger directionsEnded = new AtomicInteger();

    /** Whether the request now being answered is an events request (its answer is a stream). */
    volatile boolean servingEvents;

    Connection(SocketChannel client, SocketChannel upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    /** Client to engine, one request at a time, until the client is done or the line upgraded. */
    void requests() {
      HttpRequestStream in = new HttpRequestStream(client);
      try {
        HttpRequestStream.Head head;
        while ((head = in.next()) != null) {
          if (!admit(this, EVENTS.matcher(head.target()).matches())) {
            close();
            return;
          }
          writeAll(upstream, ByteBuffer.wrap(head.bytes()));
          in.copyBody(head, upstream);
          if (head.upgrade()) {
            in.drainTo(upstream);
            pump(client, upstream, false);
            break;
          }
        }
        upstream.shutdownOutput();
        ended();
      } catch (IOException brokenOrClosed) {
        close();
      }
    }

    /** Engine to client, raw, counting the events an events answer carries. */
    void responses() {
      try {
        pump(upstream, client, true);
        client.shutdownOutput();
        ended();
      } catch (IOException brokenOrClosed) {
        close();
      }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean countEvents)
        throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      int matched = 0;
      while (from.read(buffer) >= 0) {
        buffer.flip();
        int end = buffer.limit();
        writeAll(to, buffer);
        if (countEvents && servingEvents) {
          for (int i = 0; i < end; i++) {
            byte b = buffer.get(i);
            matched = b == EVENT_MARK[matched] ? matched + 1 : (b == EVENT_MARK[0] ? 1 : 0);
            if (matched == EVENT_MARK.length) {
              delivered.incrementAndGet();
              matched = 0;
            }
          }
        }
        buffer.clear();
      }
    }

    private void ended() {
      if (directionsEnded.incrementAndGet() == 2) {
        close();
      }
    }

    void close() {
      open.remove(this);
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  static void writeAll(SocketChannel to, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      to.write(data);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException alreadyGone) {
      // nothing left to release
    }
  }

  private static void daemon(Runnable work, String name) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
  }
}
