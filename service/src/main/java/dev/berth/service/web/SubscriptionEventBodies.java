package dev.berth.service.web;

import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/** An event of a subscription's stream as followers and webhook receivers get it. */
public final class SubscriptionEventBodies {

  private SubscriptionEventBodies() {}

  /** The group's stream event with its id in the subscription's stream and where it belongs. */
  public static Map<String, Object> body(Streamed placed, JsonMapper json) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", placed.position().toString());
    body.put("resourceGroup", placed.resourceGroup());
    body.put("containerGroup", placed.groupName());
    body.putAll(json.convertValue(placed.event(), Map.class));
    body.values().removeIf(Objects::isNull);
    return body;
  }
}
