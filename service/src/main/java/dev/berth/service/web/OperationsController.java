package dev.berth.service.web;

import dev.berth.api.server.OperationsApi;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * Polling of a 202's Location (ARM's asynchronous operations): 202 while the operation goes on, 204
 * once it is over. See {@link OperationLinks} for what each operation id checks.
 */
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
    GroupAccess.subscription(subscriptionId);
    String[] parts = operationId.split("\\.");
    UUID groupId;
    long counter;
    try {
      groupId = UUID.fromString(parts[1]);
      counter = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
    } catch (RuntimeException malformed) {
      throw unknown(operationId);
    }
    Optional<ContainerGroup> group =
        store
            .findById(groupId)
            .filter(g -> CallerContext.principal().mayAccess(g.key().subscriptionId()));
    Optional<GroupStatus> status = group.flatMap(g -> store.status(g.id()));
    boolean goingOn =
        switch (parts[0]) {
          case "delete" -> group.isPresent();
          case "stop" ->
              group.isPresent()
                  && group.get().desiredState() == DesiredState.STOPPED
                  && status.map(s -> s.state() != GroupState.STOPPED).orElse(false);
          case "start" ->
              group.isPresent()
                  && group.get().generation() == counter
                  && status
                      .map(
                          s ->
                              s.observedGeneration() == counter
                                  && (s.provisioningState() == ProvisioningState.PENDING
                                      || s.provisioningState() == ProvisioningState.CREATING))
                      .orElse(false);
          case "restart" ->
              group.isPresent() && status.map(s -> s.appliedRestartEpoch() < counter).orElse(false);
          default -> throw unknown(operationId);
        };
    return goingOn
        ? ResponseEntity.accepted().header("Retry-After", "2").build()
        : ResponseEntity.noContent().build();
  }

  private static NotFoundException unknown(String operationId) {
    return new NotFoundException(
        "OperationNotFound", "No such operation: " + operationId, "operationId");
  }
}
