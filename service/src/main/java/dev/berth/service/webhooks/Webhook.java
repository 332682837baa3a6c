package dev.berth.service.webhooks;

import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import java.time.Instant;
import java.util.UUID;

/**
 * A URL that is POSTed each event of a subscription's stream, and where its delivery stands.
 *
 * @param deliveredThrough the stream position of the last event delivered (where it began when none
 *     was yet)
 * @param deliveredAny whether any event was delivered yet
 * @param failedAttempts failed attempts of the event after {@code deliveredThrough}
 * @param nextAttemptAt when the next attempt is due (retrying), or when it was last due
 */
public record Webhook(
    UUID id,
    String subscriptionId,
    String url,
    String description,
    Instant createdAt,
    Position deliveredThrough,
    boolean deliveredAny,
    int failedAttempts,
    Instant nextAttemptAt,
    String lastError) {}
