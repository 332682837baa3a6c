package dev.berth.service.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issues and checks bearer keys. Keys are 256 random bits, so a plain SHA-256 of the key is a safe
 * lookup digest (no salt or slow hash is needed for secrets that cannot be guessed).
 */
public final class ApiKeys {

  private static final String PREFIX = "berth_";
  private final ApiKeyStore store;
  private final byte[] adminKeyDigest;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiKeys(ApiKeyStore store, String adminKey, Clock clock) {
    this.store = store;
    this.adminKeyDigest = sha256(adminKey);
    this.clock = clock;
  }

  /** A new key and its one-time secret. */
  public record Issued(ApiKeyStore.StoredKey key, String secret) {}

  /** Who the bearer of {@code presented} is; empty for an unknown or revoked key. */
  public Optional<Principal> authenticate(String presented) {
    byte[] digest = sha256(presented);
    if (MessageDigest.isEqual(digest, adminKeyDigest)) {
      return Optional.of(Principal.admin());
    }
    return store
        .findActiveByHash(HexFormat.of().formatHex(digest))
        .map(k -> new Principal(k.id(), k.subscriptionId(), k.requestsPerSecond()));
  }

  /**
   * @param requestsPerSecond the key's own rate limit; null for the configured default
   */
  public Issued issue(String subscriptionId, String description, Integer requestsPerSecond) {
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    byte[] idBytes = new byte[9];
    random.nextBytes(idBytes);
    String id = "key-" + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
    ApiKeyStore.StoredKey key =
        new ApiKeyStore.StoredKey(
            id,
            subscriptionId.toLowerCase(Locale.ROOT),
            description,
            clock.instant(),
            requestsPerSecond);
    store.insert(key, HexFormat.of().formatHex(sha256(secret)));
    return new Issued(key, secret);
  }

  public List<ApiKeyStore.StoredKey> list() {
    return store.listActive();
  }

  public void revoke(String id) {
    store.revoke(id, clock.instant());
  }

  /** A fresh admin key, for when the operator configured none. */
  public static String generateAdminKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return PREFIX + "admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
