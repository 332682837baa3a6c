package dev.berth.service.web;

import dev.berth.api.server.OperationsApi;
import dev.berth.service.containergroup.ContainerGroupStore;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Polling of a 202's Location: 202 while the operation (a delete) goes on, 204 once done. */
@RestController
public class OperationsController implements OperationsApi {

  private final ContainerGroupStore store;

  public OperationsController(ContainerGroupStore store) {
    this.store = store;
  }

  @Override
  public ResponseEntity<Void> operationResultsGet(
      String subscriptionId, String location, String operationId, String apiVersion) {
    ApiVersions.check(apiVersion);
    UUID id;
    try {
      id = UUID.fromString(operationId);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException(
          "OperationNotFound", "No such operation: " + operationId, "operationId");
    }
    var group =
        store
            .findById(id)
            .filter(g -> CallerContext.principal().mayAccess(g.key().subscriptionId()));
    if (group.isPresent()) {
      return ResponseEntity.accepted().header("Retry-After", "2").build();
    }
    return ResponseEntity.noContent().build();
  }
}
