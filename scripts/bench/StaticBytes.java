import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The raw baseline of a read benchmark: the bytes of a response Berth gave, served by the JDK's bare
 * HTTP server (no routing, no authentication, no database) at every path, so that what the machine
 * and the load tool cost at the same rate and concurrency is measured in the same run.
 *
 * <p>Usage: java StaticBytes.java BODY_FILE PORT (runs until killed)
 */
public class StaticBytes {
  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[0]));
    // As Tomcat does: without it a small answer waits for the client's delayed ACK (about 40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 100);
    server.setExecutor(Executors.newFixedThreadPool(20));
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    System.out.println("serving " + body.length + " bytes on port " + args[1]);
  }
}
