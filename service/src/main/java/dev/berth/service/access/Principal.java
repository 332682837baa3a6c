package dev.berth.service.access;

import java.util.Locale;

/**
 * Who is calling: the admin (any subscription, key management) or a key scoped to one subscription.
 *
 * @param subscriptionId the only subscription this caller may see; null for the admin
 * @param requestsPerSecond the key's own rate limit; null for the configured default
 */
public record Principal(String keyId, String subscriptionId, Integer requestsPerSecond) {

  public Principal(String keyId, String subscriptionId) {
    this(keyId, subscriptionId, null);
  }

  public static Principal admin() {
    return new Principal("admin", null);
  }

  public boolean isAdmin() {
    return subscriptionId == null;
  }

  /** Whether this caller may see and act on {@code subscription} (others look absent: 404). */
  public boolean mayAccess(String subscription) {
    return isAdmin() || subscriptionId.equals(subscription.toLowerCase(Locale.ROOT));
  }
}
