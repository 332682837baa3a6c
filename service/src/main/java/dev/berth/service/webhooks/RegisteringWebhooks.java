package dev.berth.service.webhooks;

import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.SubscriptionEventStream;
import dev.berth.service.containergroup.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Registers a webhook: a checked URL, a fresh signing secret, delivery from now on. */
public final class RegisteringWebhooks {

  public static final int MOST_PER_SUBSCRIPTION = 10;
  static final int LONGEST_URL = 2048;
  static final int LONGEST_DESCRIPTION = 256;

  private final WebhookStore store;
  private final SubscriptionEventStream stream;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private final boolean allowPrivate;

  public RegisteringWebhooks(
      WebhookStore store, SubscriptionEventStream stream, Clock clock, boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
    this.store = store;
    this.stream = stream;
    this.clock = clock;
  }

  /** A new webhook with its secret, which is shown this once. */
  public record Issued(Webhook webhook, String secret) {}

  public Issued register(String subscriptionId, String url, String description) {
    List<Violation> violations = new ArrayList<>();
    checkUrl(url, violations);
    if (violations.isEmpty()
        && !allowPrivate
        && PrivateAddresses.isPrivate(URI.create(url).getHost())) {
      violations.add(
          new Violation(
              "InvalidWebhookUrl",
              "url's host is a private address (loopback, link-local, RFC 1918); the operator"
                  + " allows those with berth.webhooks.allow-private-addresses.",
              "url"));
    }
    if (description != null && description.length() > LONGEST_DESCRIPTION) {
      violations.add(
          new Violation(
              "InvalidWebhookDescription",
              "description must be at most " + LONGEST_DESCRIPTION + " characters.",
              "description"));
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    Instant now = clock.instant();
    Webhook webhook =
        new Webhook(
            UUID.randomUUID(),
            subscriptionId.toLowerCase(Locale.ROOT),
            url,
            description,
            now,
            stream.end(),
            false,
            0,
            now,
            null);
    if (!store.create(webhook, secret, MOST_PER_SUBSCRIPTION)) {
      throw new InvalidRequestException(
          new Violation(
              "WebhookLimitReached",
              "A subscription has at most "
                  + MOST_PER_SUBSCRIPTION
                  + " webhooks; delete one before registering another.",
              "url"));
    }
    return new Issued(webhook, secret);
  }

  private static void checkUrl(String url, List<Violation> violations) {
    String rule =
        "url must be an absolute http or https URL of at most " + LONGEST_URL + " characters";
    if (url == null || url.isBlank() || url.length() > LONGEST_URL) {
      violations.add(new Violation("InvalidWebhookUrl", rule + ".", "url"));
      return;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      violations.add(new Violation("InvalidWebhookUrl", rule + ": " + e.getReason() + ".", "url"));
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      violations.add(new Violation("InvalidWebhookUrl", rule + ".", "url"));
    } else if (uri.getRawUserInfo() != null) {
      // It would be kept and shown in plain text; the signature is how a receiver knows Berth.
      violations.add(
          new Violation(
              "InvalidWebhookUrl",
              "url must not hold credentials (user:password@); check Berth-Signature instead.",
              "url"));
    }
  }
}
