package dev.berth.service.web;

import dev.berth.api.server.WebhooksApi;
import dev.berth.api.server.model.IssuedWebhook;
import dev.berth.api.server.model.Webhook;
import dev.berth.api.server.model.WebhookDelivery;
import dev.berth.api.server.model.WebhookDeliveryList;
import dev.berth.api.server.model.WebhookList;
import dev.berth.api.server.model.WebhookRequest;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.webhooks.RegisteringWebhooks;
import dev.berth.service.webhooks.WebhookStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** A subscription's webhooks and their delivery logs; a key sees only its own subscription's. */
@RestController
public class WebhooksController implements WebhooksApi {

  private static final int LOG_LIMIT = 100;

  private final RegisteringWebhooks registering;
  private final WebhookStore store;

  public WebhooksController(RegisteringWebhooks registering, WebhookStore store) {
    this.registering = registering;
    this.store = store;
  }

  private static String subscription(String subscriptionId, String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    return subscriptionId.toLowerCase(Locale.ROOT);
  }

  @Override
  public ResponseEntity<WebhookList> webhooksList(String subscriptionId, String apiVersion) {
    String sub = subscription(subscriptionId, apiVersion);
    return ResponseEntity.ok(
        new WebhookList().value(store.list(sub).stream().map(WebhooksController::view).toList()));
  }

  @Override
  public ResponseEntity<IssuedWebhook> webhooksCreate(
      String subscriptionId, String apiVersion, WebhookRequest request) {
    String sub = subscription(subscriptionId, apiVersion);
    if (request == null) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidRequestContent", "A body with the webhook's url is required.", "url"));
    }
    var issued = registering.register(sub, request.getUrl(), request.getDescription());
    Webhook view = view(issued.webhook());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new IssuedWebhook()
                .id(view.getId())
                .url(view.getUrl())
                .description(view.getDescription())
                .createdAt(view.getCreatedAt())
                .failedAttempts(view.getFailedAttempts())
                .secret(issued.secret()));
  }

  @Override
  public ResponseEntity<Webhook> webhooksGet(
      String subscriptionId, String webhookId, String apiVersion) {
    String sub = subscription(subscriptionId, apiVersion);
    return ResponseEntity.ok(view(find(sub, webhookId)));
  }

  @Override
  public ResponseEntity<Void> webhooksDelete(
      String subscriptionId, String webhookId, String apiVersion) {
    String sub = subscription(subscriptionId, apiVersion);
    UUID id = id(webhookId);
    return id != null && store.delete(sub, id)
        ? ResponseEntity.ok().build()
        : ResponseEntity.noContent().build();
  }

  @Override
  public ResponseEntity<WebhookDeliveryList> webhooksDeliveries(
      String subscriptionId, String webhookId, String apiVersion) {
    String sub = subscription(subscriptionId, apiVersion);
    dev.berth.service.webhooks.Webhook webhook = find(sub, webhookId);
    return ResponseEntity.ok(
        new WebhookDeliveryList()
            .value(
                store.deliveries(webhook.id(), LOG_LIMIT).stream()
                    .map(
                        d ->
                            new WebhookDelivery()
                                .eventId(d.eventId())
                                .attempt(d.attempt())
                                .at(time(d.at()))
                                .delivered(d.delivered())
                                .statusCode(d.statusCode())
                                .error(d.error())
                                .durationMs(d.durationMs()))
                    .toList()));
  }

  private dev.berth.service.webhooks.Webhook find(String sub, String webhookId) {
    UUID id = id(webhookId);
    return (id == null
            ? java.util.Optional.<dev.berth.service.webhooks.Webhook>empty()
            : store.find(sub, id))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "WebhookNotFound",
                    "The webhook '" + webhookId + "' could not be found.",
                    "webhookId"));
  }

  private static UUID id(String webhookId) {
    try {
      return UUID.fromString(webhookId);
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }

  private static Webhook view(dev.berth.service.webhooks.Webhook w) {
    boolean retrying = w.failedAttempts() > 0;
    return new Webhook()
        .id(w.id().toString())
        .url(w.url())
        .description(w.description())
        .createdAt(time(w.createdAt()))
        .deliveredThrough(w.deliveredAny() ? w.deliveredThrough().toString() : null)
        .failedAttempts(w.failedAttempts())
        .nextAttemptAt(retrying ? time(w.nextAttemptAt()) : null)
        .lastError(retrying ? w.lastError() : null);
  }

  private static OffsetDateTime time(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
