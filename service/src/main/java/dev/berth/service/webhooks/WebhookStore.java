package dev.berth.service.webhooks;

import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhooks, their claims by delivery runs, and the delivery log, in PostgreSQL. */
public interface WebhookStore {

  /**
   * Saves a new webhook, its delivery starting after its cursor, its secret encrypted; unless its
   * subscription already has {@code most} (counted under a lock on the subscription, so two at once
   * cannot both pass).
   *
   * @return false when the subscription has {@code most} already (nothing was saved)
   */
  boolean create(Webhook webhook, String secret, int most);

  List<Webhook> list(String subscriptionId);

  Optional<Webhook> find(String subscriptionId, UUID id);

  boolean delete(String subscriptionId, UUID id);

  /** A webhook claimed for one delivery run, with its secret. */
  record Claimed(Webhook webhook, String secret) {}

  /**
   * Claims, for {@code token} until {@code until}, up to {@code limit} webhooks that are due, not
   * claimed by a live run, and have a final event after their cursor.
   */
  List<Claimed> claimDue(UUID token, Instant now, Instant until, int limit);

  /**
   * The event at {@code through} was delivered: moves the cursor there, clears the failures and
   * holds the claim until {@code claimUntil}.
   *
   * @return false when {@code token} no longer holds the webhook (nothing was changed)
   */
  boolean delivered(UUID id, UUID token, Position through, Instant claimUntil);

  /** An attempt failed: counts it and sets when the next is due. False when not held. */
  boolean failed(UUID id, UUID token, int failedAttempts, Instant nextAttemptAt, String error);

  /** Lets go of the webhook. */
  void release(UUID id, UUID token);

  /** One attempt to POST an event. */
  record Delivery(
      UUID webhookId,
      String eventId,
      int attempt,
      Instant at,
      boolean delivered,
      Integer statusCode,
      String error,
      long durationMs) {}

  void log(Delivery delivery);

  /** The webhook's last attempts, newest first. */
  List<Delivery> deliveries(UUID id, int limit);

  /** Forgets attempts made before {@code before}. */
  int forgetDeliveriesBefore(Instant before);
}
