package dev.berth.service.probing;

import dev.berth.runtime.ExecResult;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.Probe;
import dev.berth.service.host.HostRuntimes;
import dev.berth.service.reconciliation.ProbeTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks against the host's engine: an exec probe runs its command through the engine's exec, an
 * HTTP probe sends its GET from this process to the run's address on the engine's bridge (the
 * group's sandbox holds the address of a group of several containers). Success as in Kubernetes:
 * exit code 0; HTTP status 200-399; an HTTPS certificate is not checked.
 */
public final class EngineProbeChecks implements ProbeChecks {

  private static final int MAX_OUTPUT = 1024;
  private static final int MAX_MESSAGE = 200;

  private final HostRuntimes runtimes;

  /**
   * The address of each network holder, by host and holder, with the run it was read for (a
   * container started again may get another); dropped when a request fails, forgotten with the
   * target (see {@link #forget}).
   */
  private final Map<String, Address> addresses = new ConcurrentHashMap<>();

  private record Address(java.time.Instant run, String ip) {}

  private final SSLSocketFactory trustingEverything = trustingEverything();

  /**
   * @param runtimes each host's runtime for probes: its own bulkhead and breaker, so probes never
   *     take the calls the reconciler makes
   */
  public EngineProbeChecks(HostRuntimes runtimes) {
    this.runtimes = runtimes;
  }

  @Override
  public String check(String hostId, ProbeTarget target, Probe probe) {
    return probe.execCommand() != null
        ? exec(hostId, target, probe)
        : httpGet(hostId, target, probe);
  }

  private String exec(String hostId, ProbeTarget target, Probe probe) {
    ExecResult result;
    try {
      result =
          runtimes
              .forHost(hostId)
              .exec(target.containerId(), probe.execCommand(), probe.timeout(), MAX_OUTPUT);
    } catch (RuntimeFailure failure) {
      return "exec failed: " + failure.getMessage();
    }
    if (result.exitCode() == null) {
      return "command timed out after " + probe.timeoutSeconds() + " s";
    }
    if (result.exitCode() == 0) {
      return null;
    }
    String output = (result.stdout() + result.stderr()).strip();
    return "command exited with code "
        + result.exitCode()
        + (output.isEmpty() ? "" : ": " + shorten(output));
  }

  private String httpGet(String hostId, ProbeTarget target, Probe probe) {
    Probe.HttpGet get = probe.httpGet();
    String key = key(hostId, target);
    String address;
    try {
      Address known = addresses.get(key);
      if (known == null || !known.run().equals(target.run())) {
        known =
            new Address(
                target.run(),
                runtimes
                    .forHost(hostId)
                    .inspect(target.networkHolder())
                    .map(o -> o.ipAddress())
                    .orElse(null));
        if (known.ip() != null) {
          addresses.put(key, known);
        }
      }
      address = known.ip();
    } catch (RuntimeFailure failure) {
      return "cannot find the container's address: " + failure.getMessage();
    }
    if (address == null) {
      return "the container has no address";
    }
    String path = get.path().startsWith("/") ? get.path() : "/" + get.path();
    String url = get.scheme().toLowerCase() + "://" + address + ":" + get.port() + path;
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(trustingEverything);
        https.setHostnameVerifier((host, session) -> true);
      }
      int millis = (int) probe.timeout().toMillis();
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("User-Agent", "berth-probe/1");
      connection.setRequestProperty("Connection", "close");
      for (Probe.Header header : get.headers()) {
        connection.setRequestProperty(header.name(), header.value());
      }
      int status = connection.getResponseCode();
      drain(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      if (status >= 200 && status < 400) {
        return null;
      }
      return "HTTP probe failed with statuscode: " + status;
    } catch (IOException | IllegalArgumentException e) {
      addresses.remove(key);
      return "Get \"" + url + "\": " + shorten(String.valueOf(e.getMessage()));
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Forgets what was kept for a target that is no longer checked. */
  @Override
  public void forget(String hostId, ProbeTarget target) {
    addresses.remove(key(hostId, target));
  }

  private static String key(String hostId, ProbeTarget target) {
    return hostId + "/" + target.containerId() + "/" + target.networkHolder();
  }

  /**
   * Reads at most {@link #MAX_BODY} bytes of the answer, as Kubernetes does: an endpoint that
   * streams without end (server-sent events, a metrics stream) must not hold a probe worker. The
   * stream is not closed here (closing could drain the rest); disconnect closes the socket.
   */
  private static void drain(InputStream body) throws IOException {
    if (body != null) {
      byte[] buffer = new byte[MAX_BODY];
      int total = 0;
      for (int n; total < MAX_BODY && (n = body.read(buffer, 0, MAX_BODY - total)) > 0; ) {
        total += n;
      }
    }
  }

  private static final int MAX_BODY = 10 * 1024;

  private static String shorten(String text) {
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
  }

  private static SSLSocketFactory trustingEverything() {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }
}
