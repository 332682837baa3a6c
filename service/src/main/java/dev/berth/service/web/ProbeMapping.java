package dev.berth.service.web;

import dev.berth.api.server.model.ContainerHttpGet;
import dev.berth.api.server.model.ContainerProbe;
import dev.berth.api.server.model.HttpHeader;
import dev.berth.service.containergroup.Probe;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * ACI's livenessProbe and readinessProbe: exactly one handler (exec or httpGet), numbers that make
 * sense, Kubernetes' defaults for the numbers left out. Every broken rule names its field.
 */
final class ProbeMapping {

  private static final String CODE = "InvalidProbe";

  private ProbeMapping() {}

  /**
   * The probe at {@code at}, or null when none was given or it breaks a rule (added to {@code
   * violations}).
   *
   * @param liveness whether it is a liveness probe (its successThreshold must be 1)
   */
  static Probe probe(
      ContainerProbe given, String at, boolean liveness, List<Violation> violations) {
    if (given == null) {
      return null;
    }
    int before = violations.size();
    boolean exec = given.getExec() != null;
    boolean http = given.getHttpGet() != null;
    if (exec == http) {
      violations.add(
          new Violation(
              CODE,
              exec
                  ? "A probe takes one handler, exec or httpGet, not both."
                  : "A probe needs a handler: exec or httpGet.",
              at));
    }
    List<String> command = null;
    if (exec) {
      command = Nulls.list(given.getExec().getCommand());
      if (command.isEmpty() || command.stream().anyMatch(java.util.Objects::isNull)) {
        violations.add(
            new Violation(
                CODE, "exec.command must be a non-empty list of strings.", at + ".exec.command"));
      }
    }
    Probe.HttpGet httpGet = http ? httpGet(given.getHttpGet(), at + ".httpGet", violations) : null;
    atLeast(given.getInitialDelaySeconds(), 0, at + ".initialDelaySeconds", violations);
    atLeast(given.getPeriodSeconds(), 1, at + ".periodSeconds", violations);
    atLeast(given.getTimeoutSeconds(), 1, at + ".timeoutSeconds", violations);
    atLeast(given.getFailureThreshold(), 1, at + ".failureThreshold", violations);
    atLeast(given.getSuccessThreshold(), 1, at + ".successThreshold", violations);
    if (liveness
        && given.getSuccessThreshold() != null
        && given.getSuccessThreshold() > Probe.DEFAULT_SUCCESS_THRESHOLD) {
      violations.add(
          new Violation(
              CODE,
              "successThreshold of a liveness probe must be 1; "
                  + given.getSuccessThreshold()
                  + " was given.",
              at + ".successThreshold"));
    }
    if (violations.size() > before) {
      return null;
    }
    return Probe.withDefaults(
        command,
        httpGet,
        given.getInitialDelaySeconds(),
        given.getPeriodSeconds(),
        given.getTimeoutSeconds(),
        given.getFailureThreshold(),
        given.getSuccessThreshold());
  }

  private static Probe.HttpGet httpGet(
      ContainerHttpGet get, String at, List<Violation> violations) {
    Integer port = get.getPort();
    if (port == null || port < 1 || port > 65535) {
      violations.add(
          new Violation(
              CODE,
              "port must be between 1 and 65535"
                  + (port == null ? "; it is required." : "; " + port + " was given."),
              at + ".port"));
    }
    String scheme = get.getScheme();
    if (scheme != null && !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      violations.add(
          new Violation(
              CODE, "scheme must be http or https; '" + scheme + "' was given.", at + ".scheme"));
    }
    List<Probe.Header> headers = new ArrayList<>();
    List<HttpHeader> given = Nulls.list(get.getHttpHeaders());
    for (int i = 0; i < given.size(); i++) {
      HttpHeader h = given.get(i);
      if (h == null || h.getName() == null || !h.getName().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        violations.add(
            new Violation(
                CODE,
                "A header needs a name made of token characters.",
                at + ".httpHeaders[" + i + "].name"));
        continue;
      }
      headers.add(new Probe.Header(h.getName(), h.getValue() == null ? "" : h.getValue()));
    }
    return new Probe.HttpGet(
        get.getPath(),
        port == null ? 0 : port,
        scheme == null ? null : scheme.toLowerCase(),
        headers);
  }

  private static void atLeast(Integer value, int min, String target, List<Violation> violations) {
    if (value != null && value < min) {
      String field = target.substring(target.lastIndexOf('.') + 1);
      violations.add(
          new Violation(
              CODE,
              field
                  + (min == 0 ? " may not be negative" : " must be at least " + min)
                  + "; "
                  + value
                  + " was given.",
              target));
    }
  }
}
