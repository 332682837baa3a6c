package dev.berth.service.web;

import java.net.URI;
import java.util.UUID;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The Location of an asynchronous operation, ARM-style: poll it for 202 (going on) and 204 (done).
 * The operation id says what to check: {@code delete.<group>}, {@code start.<group>.<generation>},
 * {@code stop.<group>.<generation>} or {@code restart.<group>.<epoch>}.
 */
final class OperationLinks {

  private OperationLinks() {}

  static URI of(
      String subscriptionId,
      String location,
      String kind,
      UUID groupId,
      long counter,
      String apiVersion) {
    String operation = kind + "." + groupId + (kind.equals("delete") ? "" : "." + counter);
    return ServletUriComponentsBuilder.fromCurrentContextPath()
        .path(
            "/subscriptions/{sub}/providers/Microsoft.ContainerInstance/locations/{loc}/operationResults/{op}")
        .queryParam("api-version", apiVersion)
        .buildAndExpand(subscriptionId, location, operation)
        .toUri();
  }
}
