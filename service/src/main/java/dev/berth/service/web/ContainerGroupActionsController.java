package dev.berth.service.web;

import dev.berth.api.server.ContainerGroupActionsApi;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.RestartingContainerGroup;
import dev.berth.service.containergroup.StartingContainerGroup;
import dev.berth.service.containergroup.StoppingContainerGroup;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.containergroup.WaitingForContainerGroup;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** ACI's stop, start and restart, and Berth's wait, on a container group. */
@RestController
public class ContainerGroupActionsController implements ContainerGroupActionsApi {

  private static final int MAX_WAIT_SECONDS = 300;

  private final StoppingContainerGroup stopping;
  private final StartingContainerGroup starting;
  private final RestartingContainerGroup restarting;
  private final WaitingForContainerGroup waiting;
  private final GroupAccess access;
  private final GroupView view;

  public ContainerGroupActionsController(
      StoppingContainerGroup stopping,
      StartingContainerGroup starting,
      RestartingContainerGroup restarting,
      WaitingForContainerGroup waiting,
      GroupValidator validator,
      JsonMapper json,
      WebSettings settings) {
    this.stopping = stopping;
    this.starting = starting;
    this.restarting = restarting;
    this.waiting = waiting;
    this.access = new GroupAccess(validator);
    this.view = new GroupView(json, settings.dnsZone());
  }

  @Override
  public ResponseEntity<Void> containerGroupsStop(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    return act(
        subscriptionId,
        resourceGroupName,
        containerGroupName,
        apiVersion,
        stopping::stop,
        o ->
            o.stopped()
                ? Optional.empty()
                : Optional.of(new Going("stop", o.group(), o.group().generation())));
  }

  @Override
  public ResponseEntity<Void> containerGroupsStart(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    return act(
        subscriptionId,
        resourceGroupName,
        containerGroupName,
        apiVersion,
        starting::start,
        o ->
            o.started()
                ? Optional.of(new Going("start", o.group(), o.group().generation()))
                : Optional.empty());
  }

  @Override
  public ResponseEntity<Void> containerGroupsRestart(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    return act(
        subscriptionId,
        resourceGroupName,
        containerGroupName,
        apiVersion,
        restarting::restart,
        o ->
            o.done()
                ? Optional.empty()
                : Optional.of(
                    o.freshRun()
                        ? new Going("start", o.group(), o.group().generation())
                        : new Going("restart", o.group(), o.group().restartEpoch())));
  }

  /** An action still under way: what to poll, as an operation id's kind and counter. */
  private record Going(
      String kind, dev.berth.service.containergroup.ContainerGroup group, long counter) {}

  /** 204 when the action is done, 202 with a Location to poll while it goes on. */
  private <T> ResponseEntity<Void> act(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion,
      java.util.function.Function<GroupKey, Optional<T>> action,
      java.util.function.Function<T, Optional<Going>> stillGoing) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    T outcome =
        action
            .apply(key)
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    return stillGoing
        .apply(outcome)
        .map(
            g ->
                accepted(
                    key, g.group().location(), g.kind(), g.group().id(), g.counter(), apiVersion))
        .orElseGet(() -> ResponseEntity.noContent().build());
  }

  @Override
  public ResponseEntity<ContainerGroup> containerGroupsWait(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion,
      String state,
      Integer timeoutSeconds) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    boolean ready =
        Arrays.stream(state.split(",")).anyMatch(s -> s.trim().equalsIgnoreCase("Ready"));
    Set<GroupState> wanted = states(state);
    int seconds = timeoutSeconds == null ? 60 : timeoutSeconds;
    if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidParameter",
              "timeoutSeconds must be between 0 and " + MAX_WAIT_SECONDS + ".",
              "timeoutSeconds"));
    }
    var outcome =
        waiting
            .waitFor(key, wanted, ready, Duration.ofSeconds(seconds))
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    ContainerGroup resource = view.resource(outcome.group(), outcome.status());
    return switch (outcome.result()) {
      case REACHED -> ResponseEntity.ok(resource);
      case TIMED_OUT -> ResponseEntity.status(HttpStatus.ACCEPTED).body(resource);
      case UNREACHABLE ->
          throw new dev.berth.service.containergroup.GroupConflictException(
              "WaitConditionUnreachable",
              "The container group is "
                  + outcome.status().state().aciName()
                  + " and will not become "
                  + state
                  + " without a new action (start, restart or a new spec).");
    };
  }

  private static Set<GroupState> states(String states) {
    Set<GroupState> wanted = EnumSet.noneOf(GroupState.class);
    for (String name : states.split(",")) {
      if (name.trim().equalsIgnoreCase("Ready")) {
        // Not a group state: the caller waits for every container to be ready.
        continue;
      }
      GroupState match =
          Arrays.stream(GroupState.values())
              .filter(s -> s.aciName().equalsIgnoreCase(name.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          new Violation(
                              "InvalidParameter",
                              "state '"
                                  + name.trim()
                                  + "' is not one of Pending, Running, Stopped, Succeeded, Failed, Ready.",
                              "state")));
      wanted.add(match);
    }
    return wanted;
  }

  private static ResponseEntity<Void> accepted(
      GroupKey key,
      String location,
      String kind,
      java.util.UUID groupId,
      long counter,
      String apiVersion) {
    return ResponseEntity.accepted()
        .location(
            OperationLinks.of(key.subscriptionId(), location, kind, groupId, counter, apiVersion))
        .header("Retry-After", "2")
        .build();
  }
}
