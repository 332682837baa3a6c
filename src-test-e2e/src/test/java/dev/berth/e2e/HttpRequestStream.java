package dev.berth.e2e;

import static dev.berth.e2e.EventsDroppingProxy.writeAll;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The HTTP/1.1 requests a client sends on one connection, read one by one from a blocking channel
 * so a proxy can look at each request's head and copy it, and then its body, on unchanged: the
 * body's end is found from its Content-Length or its chunks, so the next request on a keep-alive
 * connection is seen too.
 */
final class HttpRequestStream {

  private static final int MAX_LINE = 64 * 1024;

  /** A request's line and headers as the client sent them, and what a proxy needs of them. */
  record Head(byte[] bytes, String target, long contentLength, boolean chunked, boolean upgrade) {}

  private final SocketChannel from;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

  HttpRequestStream(SocketChannel from) {
    this.from = from;
  }

  /** The next request's head, or null when the client closed the connection between requests. */
  Head next() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String requestLine;
    do {
      byte[] line = line();
      if (line == null) {
        return null;
      }
      bytes.writeBytes(line);
      requestLine = text(line);
    } while (requestLine.isEmpty());
    String[] parts = requestLine.split(" ");
    if (parts.length < 3) {
      throw new IOException("not an HTTP request line: " + requestLine);
    }
    long contentLength = 0;
    boolean chunked = false;
    boolean upgrade = false;
    while (true) {
      byte[] line = required("headers");
      bytes.writeBytes(line);
      String header = text(line);
      if (header.isEmpty()) {
        return new Head(bytes.toByteArray(), parts[1], contentLength, chunked, upgrade);
      }
      int colon = header.indexOf(':');
      String name = colon < 0 ? header : header.substring(0, colon).trim();
      String value = colon < 0 ? "" : header.substring(colon + 1).trim();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "upgrade" -> upgrade = true;
        default -> {}
      }
    }
  }

  /** Copies the body of the request {@code head} began, and nothing after it. */
  void copyBody(Head head, SocketChannel to) throws IOException {
    if (head.chunked()) {
      copyChunked(to);
    } else {
      copy(head.contentLength(), to);
    }
  }

  /** Whatever was read ahead, e.g. the first bytes after an upgrade. */
  void drainTo(SocketChannel to) throws IOException {
    writeAll(to, buffer);
  }

  /** Chunks (size line, data, line end), then the last chunk and its trailers. */
  private void copyChunked(SocketChannel to) throws IOException {
    while (true) {
      byte[] sizeLine = required("a chunked body");
      writeAll(to, ByteBuffer.wrap(sizeLine));
      String size = text(sizeLine);
      int extension = size.indexOf(';');
      long length = Long.parseLong((extension < 0 ? size : size.substring(0, extension)), 16);
      if (length == 0) {
        byte[] trailer;
        do {
          trailer = required("a chunked body's trailers");
          writeAll(to, ByteBuffer.wrap(trailer));
        } while (!text(trailer).isEmpty());
        return;
      }
      copy(length, to);
      writeAll(to, ByteBuffer.wrap(required("a chunked body")));
    }
  }

  private void copy(long count, SocketChannel to) throws IOException {
    long left = count;
    while (left > 0) {
      if (!buffer.hasRemaining() && !fill()) {
        throw new EOFException("the connection ended inside a body");
      }
      int n = (int) Math.min(left, buffer.remaining());
      writeAll(to, buffer.slice(buffer.position(), n));
      buffer.position(buffer.position() + n);
      left -= n;
    }
  }

  /** The next line with its line end, or null if the stream ends before its first byte. */
  private byte[] line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        line.write(b);
        if (b == '\n') {
          return line.toByteArray();
        }
        if (line.size() > MAX_LINE) {
          throw new IOException("a line longer than " + MAX_LINE + " bytes");
        }
      }
      if (!fill()) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("the connection ended inside a line");
      }
    }
  }

  private byte[] required(String inside) throws IOException {
    byte[] line = line();
    if (line == null) {
      throw new EOFException("the connection ended inside " + inside);
    }
    return line;
  }

  private boolean fill() throws IOException {
    buffer.compact();
    try {
      return from.read(buffer) >= 0;
    } finally {
      buffer.flip();
    }
  }

  private static String text(byte[] line) {
    return new String(line, StandardCharsets.ISO_8859_1).strip();
  }
}
