package dev.berth.service.web;

import dev.berth.api.server.ContainerGroupsApi;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.api.server.model.ContainerGroupListResult;
import dev.berth.api.server.model.Resource;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.DeletingContainerGroup;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/** ACI's container group operations, implementing the interface generated from openapi.yaml. */
@RestController
public class ContainerGroupController implements ContainerGroupsApi {

  private static final int PAGE_SIZE = 100;

  private final CreatingContainerGroup creating;
  private final DeletingContainerGroup deleting;
  private final ContainerGroupStore store;
  private final GroupAccess access;
  private final String location;
  private final GroupRequestMapper mapper = new GroupRequestMapper();
  private final GroupView view;
  private final GroupViews views;

  public ContainerGroupController(
      CreatingContainerGroup creating,
      DeletingContainerGroup deleting,
      ContainerGroupStore store,
      GroupValidator validator,
      JsonMapper json,
      WebSettings settings) {
    this.creating = creating;
    this.deleting = deleting;
    this.store = store;
    this.access = new GroupAccess(validator);
    this.location = settings.location();
    this.view = new GroupView(json, settings.dnsZone());
    this.views =
        new GroupViews(
            store::current,
            current -> json.writeValueAsString(view.resource(current.group(), current.status())),
            settings.viewCacheBytes());
  }

  @Override
  public ResponseEntity<ContainerGroup> containerGroupsCreateOrUpdate(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion,
      ContainerGroup body) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    if (body == null) {
      throw new InvalidRequestException(
          new dev.berth.service.containergroup.Violation(
              "InvalidRequestContent", "A container group body is required.", ""));
    }
    if (body.getName() != null && !body.getName().equals(containerGroupName)) {
      // An ACI YAML file names its group; it must be the one the path names.
      throw new InvalidRequestException(
          new dev.berth.service.containergroup.Violation(
              "InvalidRequestContent",
              "The body names the group '"
                  + body.getName()
                  + "' but the path names '"
                  + containerGroupName
                  + "'.",
              "name"));
    }
    var spec = mapper.toSpec(body);
    var outcome =
        creating.createOrReplace(
            new CreatingContainerGroup.Request(
                key,
                body.getLocation() == null ? location : body.getLocation(),
                body.getTags() == null ? Map.of() : body.getTags(),
                spec,
                view.document(body)));
    // The status this PUT wrote, as it stands when it commits; read only when the PUT left it.
    GroupStatus status =
        outcome.status() != null
            ? outcome.status()
            : store.status(outcome.group().id()).orElse(null);
    ContainerGroup resource = view.resource(outcome.group(), status);
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(resource);
  }

  @Override
  public ResponseEntity<ContainerGroup> containerGroupsGet(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    // One query for the revision; the group itself is read only when it changed since it was
    // last rendered.
    return ResponseEntity.ok(
        store
            .revision(key)
            .flatMap(r -> views.of(List.of(r)).stream().findFirst())
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName)));
  }

  @Override
  public ResponseEntity<ContainerGroup> containerGroupsUpdate(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion,
      Resource body) {
    ApiVersions.check(apiVersion);
    var group = existing(subscriptionId, resourceGroupName, containerGroupName);
    Map<String, String> tags =
        body == null || body.getTags() == null ? Map.of() : new HashMap<>(body.getTags());
    ContainerGroup document = view.resource(group, null);
    document.setTags(tags);
    var updated = group.withTags(tags, view.document(document));
    store.update(updated);
    return ResponseEntity.ok(view.resource(updated, store.status(group.id()).orElse(null)));
  }

  @Override
  public ResponseEntity<ContainerGroup> containerGroupsDelete(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    Optional<DeletingContainerGroup.Outcome> outcome = deleting.delete(key);
    if (outcome.isEmpty()) {
      return ResponseEntity.noContent().build();
    }
    var deleted = outcome.get();
    if (deleted.gone()) {
      return ResponseEntity.ok(view.resource(deleted.group(), deleted.lastStatus()));
    }
    URI poll =
        OperationLinks.of(
            key.subscriptionId(),
            deleted.group().location(),
            "delete",
            deleted.group().id(),
            0,
            apiVersion);
    return ResponseEntity.accepted().location(poll).header("Retry-After", "2").build();
  }

  @Override
  public ResponseEntity<ContainerGroupListResult> containerGroupsList(
      String subscriptionId, String apiVersion, String skipToken) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    return ResponseEntity.ok(page(subscriptionId, null, skipToken, apiVersion));
  }

  @Override
  public ResponseEntity<ContainerGroupListResult> containerGroupsListByResourceGroup(
      String subscriptionId, String resourceGroupName, String apiVersion, String skipToken) {
    ApiVersions.check(apiVersion);
    GroupAccess.subscription(subscriptionId);
    return ResponseEntity.ok(
        page(
            subscriptionId,
            resourceGroupName.toLowerCase(java.util.Locale.ROOT),
            skipToken,
            apiVersion));
  }

  private ContainerGroupListResult page(
      String subscriptionId, String resourceGroup, String skipToken, String apiVersion) {
    String after = null;
    if (skipToken != null && !skipToken.isBlank()) {
      try {
        after = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            new dev.berth.service.containergroup.Violation(
                "InvalidSkipToken", "$skipToken is not one this service issued.", "$skipToken"));
      }
    }
    var page =
        store.revisions(
            subscriptionId.toLowerCase(java.util.Locale.ROOT), resourceGroup, after, PAGE_SIZE);
    var result = new ContainerGroupListResult();
    // One query for the page's revisions; only groups changed since they were last rendered are
    // read and rendered again.
    views.of(page.revisions()).forEach(result::addValueItem);
    if (page.nextAfter() != null) {
      result.setNextLink(
          ServletUriComponentsBuilder.fromCurrentRequestUri()
              .replaceQueryParam(
                  "$skipToken",
                  Base64.getUrlEncoder()
                      .withoutPadding()
                      .encodeToString(page.nextAfter().getBytes(StandardCharsets.UTF_8)))
              .replaceQueryParam("api-version", apiVersion)
              .toUriString());
    }
    return result;
  }

  private dev.berth.service.containergroup.ContainerGroup existing(
      String subscriptionId, String resourceGroupName, String name) {
    GroupKey key = access.key(subscriptionId, resourceGroupName, name);
    return store.find(key).orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, name));
  }
}
