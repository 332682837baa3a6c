package dev.berth.service.persistence;

import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.webhooks.Webhook;
import dev.berth.service.webhooks.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Webhooks in PostgreSQL; secrets encrypted with the installation's key. */
public final class JdbcWebhookStore implements WebhookStore {

  private static final String COLUMNS =
      "webhook_id, subscription_id, url, description, created_at, cursor_xid, cursor_group,"
          + " cursor_seq, delivered_any, failed_attempts, next_attempt_at, last_error";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final SecretCipher cipher;

  public JdbcWebhookStore(JdbcTemplate jdbc, TransactionTemplate tx, SecretCipher cipher) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.cipher = cipher;
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    return new Webhook(
        rs.getObject("webhook_id", UUID.class),
        rs.getString("subscription_id"),
        rs.getString("url"),
        rs.getString("description"),
        rs.getTimestamp("created_at").toInstant(),
        new Position(
            rs.getLong("cursor_xid"),
            rs.getObject("cursor_group", UUID.class),
            rs.getLong("cursor_seq")),
        rs.getBoolean("delivered_any"),
        rs.getInt("failed_attempts"),
        rs.getTimestamp("next_attempt_at").toInstant(),
        rs.getString("last_error"));
  }

  @Override
  public boolean create(Webhook w, String secret, int most) {
    return Boolean.TRUE.equals(
        tx.execute(
            status -> {
              // Two registrations at once count one after the other.
              jdbc.queryForObject(
                  "select pg_advisory_xact_lock(hashtextextended('webhooks:' || ?, 0))",
                  Object.class,
                  w.subscriptionId());
              Integer count =
                  jdbc.queryForObject(
                      "select count(*) from webhooks where subscription_id = ?",
                      Integer.class,
                      w.subscriptionId());
              if (count != null && count >= most) {
                return false;
              }
              jdbc.update(
                  "insert into webhooks (webhook_id, subscription_id, url, description, secret,"
                      + " created_at, cursor_xid, cursor_group, cursor_seq, next_attempt_at)"
                      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  w.id(),
                  w.subscriptionId(),
                  w.url(),
                  w.description(),
                  cipher.encrypt(secret),
                  Timestamp.from(w.createdAt()),
                  w.deliveredThrough().xid(),
                  w.deliveredThrough().groupId(),
                  w.deliveredThrough().seq(),
                  Timestamp.from(w.nextAttemptAt()));
              return true;
            }));
  }

  @Override
  public List<Webhook> list(String subscriptionId) {
    return jdbc.query(
        "select " + COLUMNS + " from webhooks where subscription_id = ? order by created_at",
        (rs, n) -> webhook(rs),
        subscriptionId);
  }

  @Override
  public Optional<Webhook> find(String subscriptionId, UUID id) {
    return jdbc
        .query(
            "select " + COLUMNS + " from webhooks where subscription_id = ? and webhook_id = ?",
            (rs, n) -> webhook(rs),
            subscriptionId,
            id)
        .stream()
        .findFirst();
  }

  @Override
  public boolean delete(String subscriptionId, UUID id) {
    return jdbc.update(
            "delete from webhooks where subscription_id = ? and webhook_id = ?", subscriptionId, id)
        == 1;
  }

  @Override
  public List<Claimed> claimDue(UUID token, Instant now, Instant until, int limit) {
    return jdbc.query(
        "update webhooks w set claimed_by = ?, claimed_until = ?"
            + " where w.webhook_id in (select d.webhook_id from webhooks d"
            + "   where d.next_attempt_at <= ? and (d.claimed_until is null or d.claimed_until < ?)"
            // Only those with an event to deliver: idle webhooks cost this one query.
            + "   and exists (select 1 from group_events e where e.subscription_id ="
            + "     d.subscription_id and (e.xid, e.group_id, e.seq) > (d.cursor_xid::text::xid8,"
            + "     d.cursor_group, d.cursor_seq)"
            + "     and e.xid < pg_snapshot_xmin(pg_current_snapshot()))"
            + "   order by d.next_attempt_at limit ? for update skip locked)"
            + " returning w.secret, "
            + prefixed(),
        (rs, n) -> new Claimed(webhook(rs), cipher.decrypt(rs.getString("secret"))),
        token,
        Timestamp.from(until),
        Timestamp.from(now),
        Timestamp.from(now),
        limit);
  }

  private static String prefixed() {
    return "w." + COLUMNS.replace(", ", ", w.");
  }

  @Override
  public boolean delivered(UUID id, UUID token, Position through, Instant claimUntil) {
    return jdbc.update(
            "update webhooks set cursor_xid = ?, cursor_group = ?, cursor_seq = ?,"
                + " delivered_any = true, failed_attempts = 0, last_error = null,"
                + " claimed_until = greatest(claimed_until, ?)"
                + " where webhook_id = ? and claimed_by = ?",
            through.xid(),
            through.groupId(),
            through.seq(),
            Timestamp.from(claimUntil),
            id,
            token)
        == 1;
  }

  @Override
  public boolean failed(
      UUID id, UUID token, int failedAttempts, Instant nextAttemptAt, String error) {
    return jdbc.update(
            "update webhooks set failed_attempts = ?, next_attempt_at = ?, last_error = ?"
                + " where webhook_id = ? and claimed_by = ?",
            failedAttempts,
            Timestamp.from(nextAttemptAt),
            error,
            id,
            token)
        == 1;
  }

  @Override
  public void release(UUID id, UUID token) {
    jdbc.update(
        "update webhooks set claimed_by = null, claimed_until = null"
            + " where webhook_id = ? and claimed_by = ?",
        id,
        token);
  }

  @Override
  public void log(Delivery d) {
    jdbc.update(
        "insert into webhook_deliveries (webhook_id, event_id, attempt, at, delivered,"
            + " status_code, error, duration_ms) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict do nothing",
        d.webhookId(),
        d.eventId(),
        d.attempt(),
        Timestamp.from(d.at()),
        d.delivered(),
        d.statusCode(),
        d.error(),
        d.durationMs());
  }

  @Override
  public List<Delivery> deliveries(UUID id, int limit) {
    return jdbc.query(
        "select event_id, attempt, at, delivered, status_code, error, duration_ms"
            + " from webhook_deliveries where webhook_id = ? order by at desc, attempt desc"
            + " limit ?",
        (rs, n) ->
            new Delivery(
                id,
                rs.getString("event_id"),
                rs.getInt("attempt"),
                rs.getTimestamp("at").toInstant(),
                rs.getBoolean("delivered"),
                (Integer) rs.getObject("status_code"),
                rs.getString("error"),
                rs.getLong("duration_ms")),
        id,
        limit);
  }

  @Override
  public int forgetDeliveriesBefore(Instant before) {
    return jdbc.update("delete from webhook_deliveries where at < ?", Timestamp.from(before));
  }
}
