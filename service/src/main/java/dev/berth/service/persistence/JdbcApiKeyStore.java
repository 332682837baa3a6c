package dev.berth.service.persistence;

import dev.berth.service.access.ApiKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issued API keys in PostgreSQL, by SHA-256 digest. */
public class JdbcApiKeyStore implements ApiKeyStore {

  private final JdbcTemplate jdbc;

  public JdbcApiKeyStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(StoredKey key, String keyHash) {
    jdbc.update(
        "insert into api_keys (id, key_hash, subscription_id, description, created_at,"
            + " requests_per_second) values (?, ?, ?, ?, ?, ?)",
        key.id(),
        keyHash,
        key.subscriptionId(),
        key.description(),
        Timestamp.from(key.createdAt()),
        key.requestsPerSecond());
  }

  @Override
  public Optional<StoredKey> findActiveByHash(String keyHash) {
    return jdbc
        .query(
            "select * from api_keys where key_hash = ? and revoked_at is null",
            JdbcApiKeyStore::row,
            keyHash)
        .stream()
        .findFirst();
  }

  @Override
  public List<StoredKey> listActive() {
    return jdbc.query(
        "select * from api_keys where revoked_at is null order by created_at, id",
        JdbcApiKeyStore::row);
  }

  @Override
  public void revoke(String id, Instant at) {
    jdbc.update(
        "update api_keys set revoked_at = ? where id = ? and revoked_at is null",
        Timestamp.from(at),
        id);
  }

  private static StoredKey row(ResultSet rs, int n) throws SQLException {
    return new StoredKey(
        rs.getString("id"),
        rs.getString("subscription_id"),
        rs.getString("description"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getObject("requests_per_second", Integer.class));
  }
}
