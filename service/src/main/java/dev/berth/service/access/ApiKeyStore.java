package dev.berth.service.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where issued keys are kept: their SHA-256 digest, never the key. */
public interface ApiKeyStore {

  /**
   * An issued key as stored.
   *
   * @param requestsPerSecond the key's own rate limit; null for the configured default
   */
  record StoredKey(
      String id,
      String subscriptionId,
      String description,
      Instant createdAt,
      Integer requestsPerSecond) {}

  void insert(StoredKey key, String keyHash);

  Optional<StoredKey> findActiveByHash(String keyHash);

  List<StoredKey> listActive();

  void revoke(String id, Instant at);
}
