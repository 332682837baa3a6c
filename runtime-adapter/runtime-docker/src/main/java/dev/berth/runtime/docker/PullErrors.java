package dev.berth.runtime.docker;

import dev.berth.runtime.ImagePullFailure.Reason;
import java.util.Locale;

/**
 * Why a pull failed, read from what the engine says (it reports a registry's answer as text: a 404
 * "manifest unknown", a 500 "unauthorized: authentication required", a 500 "dial tcp ...:
 * connection refused").
 */
final class PullErrors {

  private PullErrors() {}

  static Reason reason(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("unauthorized")
        || m.contains("authentication required")
        || m.contains("no basic auth credentials")
        || m.contains("denied")) {
      return Reason.UNAUTHORIZED;
    }
    if (m.contains("manifest unknown")
        || m.contains("not found")
        || m.contains("name unknown")
        || m.contains("does not exist")) {
      return Reason.NOT_FOUND;
    }
    if (m.contains("connection refused")
        || m.contains("no such host")
        || m.contains("dial tcp")
        || m.contains("i/o timeout")
        || m.contains("x509")
        || m.contains("tls")
        || m.contains("network is unreachable")
        || m.contains("connection reset")) {
      return Reason.UNREACHABLE;
    }
    if (m.contains("timeout") || m.contains("timed out")) {
      return Reason.TIMED_OUT;
    }
    return Reason.OTHER;
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String t = text;
    // docker-java prefixes the engine's JSON: Status 500: {"message":"..."}
    int start = t.indexOf("\"message\":\"");
    if (start >= 0) {
      int from = start + "\"message\":\"".length();
      int end = t.indexOf("\"}", from);
      t = (end > from ? t.substring(from, end) : t.substring(from)).replace("\\\"", "\"");
    }
    int newline = t.indexOf('\n');
    return (newline < 0 ? t : t.substring(0, newline)).trim();
  }
}
