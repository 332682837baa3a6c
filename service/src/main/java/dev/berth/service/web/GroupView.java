package dev.berth.service.web;

import dev.berth.api.server.model.Container;
import dev.berth.api.server.model.ContainerGroup;
import dev.berth.api.server.model.ContainerGroupInstanceView;
import dev.berth.api.server.model.ContainerInstanceView;
import dev.berth.api.server.model.EnvironmentVariable;
import dev.berth.api.server.model.Event;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.Readiness;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the resource a client sees: the document it sent (secrets removed) plus ARM's identity
 * fields and the read-only provisioningState and instanceView from the observed status.
 */
final class GroupView {

  static final String TYPE = "Microsoft.ContainerInstance/containerGroups";

  private final JsonMapper json;
  private final String dnsZone;

  GroupView(JsonMapper json, String dnsZone) {
    this.json = json;
    this.dnsZone = dnsZone;
  }

  /** The request body as it will be echoed: read-only fields cleared, every secret removed. */
  String document(ContainerGroup body) {
    ContainerGroup copy = json.readValue(json.writeValueAsString(body), ContainerGroup.class);
    copy.setId(null);
    copy.setName(null);
    copy.setType(null);
    var p = copy.getProperties();
    p.setProvisioningState(null);
    p.setInstanceView(null);
    p.setHostName(null);
    if (p.getIpAddress() != null) {
      p.getIpAddress().setIp(null);
      p.getIpAddress().setFqdn(null);
    }
    for (Container c : Nulls.list(p.getContainers())) {
      if (c != null && c.getProperties() != null) {
        c.getProperties().setInstanceView(null);
        for (EnvironmentVariable v : Nulls.list(c.getProperties().getEnvironmentVariables())) {
          if (v != null) {
            v.setSecureValue(null);
          }
        }
      }
    }
    for (var init : Nulls.list(p.getInitContainers())) {
      if (init != null && init.getProperties() != null) {
        init.getProperties().setInstanceView(null);
        for (EnvironmentVariable v : Nulls.list(init.getProperties().getEnvironmentVariables())) {
          if (v != null) {
            v.setSecureValue(null);
          }
        }
      }
    }
    Nulls.list(p.getImageRegistryCredentials()).stream()
        .filter(java.util.Objects::nonNull)
        .forEach(credential -> credential.setPassword(null));
    Nulls.list(p.getVolumes()).stream()
        .filter(java.util.Objects::nonNull)
        .forEach(
            volume -> {
              volume.setSecret(null);
              if (volume.getAzureFile() != null) {
                volume.getAzureFile().setStorageAccountKey(null);
              }
              if (volume.getGitRepo() != null && volume.getGitRepo().getRepository() != null) {
                // A URL may carry user:token@; what is echoed never does.
                volume
                    .getGitRepo()
                    .setRepository(
                        dev.berth.service.containergroup.GitRepoSource.withoutCredentials(
                            volume.getGitRepo().getRepository()));
              }
            });
    if (Nulls.map(p.getDiagnostics()).get("logAnalytics") instanceof Map<?, ?> logAnalytics) {
      logAnalytics.remove("workspaceKey");
    }
    for (Map<String, Object> extension : Nulls.list(p.getExtensions())) {
      if (extension != null && extension.get("properties") instanceof Map<?, ?> properties) {
        properties.remove("protectedSettings");
      }
    }
    return json.writeValueAsString(copy);
  }

  ContainerGroup resource(
      dev.berth.service.containergroup.ContainerGroup group, GroupStatus status) {
    ContainerGroup view = json.readValue(group.resourceDocument(), ContainerGroup.class);
    view.setId(group.key().resourceId());
    view.setName(group.key().name());
    view.setType(TYPE);
    view.setLocation(group.location());
    view.setTags(new java.util.HashMap<>(group.tags()));
    var p = view.getProperties();
    if (group.desiredState() == DesiredState.DELETED) {
      p.setProvisioningState("Deleting");
    } else if (status == null || status.observedGeneration() != group.generation()) {
      p.setProvisioningState("Pending");
    } else {
      p.setProvisioningState(status.provisioningState().aciName());
    }
    if (p.getRestartPolicy() == null) {
      p.setRestartPolicy(group.spec().restartPolicy().aciName());
    }
    if (p.getIpAddress() != null) {
      if (status != null && status.ipAddress() != null) {
        p.getIpAddress().setIp(status.ipAddress());
      }
      if (p.getIpAddress().getDnsNameLabel() != null) {
        p.getIpAddress()
            .setFqdn(p.getIpAddress().getDnsNameLabel() + "." + group.location() + "." + dnsZone);
      }
    }
    if (status != null) {
      p.setHostName(status.hostId());
      p.setInstanceView(
          new ContainerGroupInstanceView()
              .state(status.state().aciName())
              .readyContainers(Readiness.readyContainers(group.spec(), status))
              .ready(Readiness.allReady(group.spec(), status))
              .events(events(status.events())));
      for (var init : Nulls.list(p.getInitContainers())) {
        if (init != null && init.getProperties() != null) {
          status
              .initContainer(init.getName())
              .ifPresent(s -> init.getProperties().setInstanceView(instanceView(s)));
        }
      }
      for (Container c : Nulls.list(p.getContainers())) {
        status
            .container(c.getName())
            .ifPresent(
                s ->
                    c.getProperties()
                        .setInstanceView(instanceView(s).ready(Readiness.ready(group.spec(), s))));
      }
    }
    return view;
  }

  private static ContainerInstanceView instanceView(ContainerStatus s) {
    return new ContainerInstanceView()
        .restartCount(s.restartCount())
        .currentState(state(s.currentState()))
        .previousState(state(s.previousState()))
        .events(events(s.events()));
  }

  private static dev.berth.api.server.model.ContainerState state(ContainerState s) {
    if (s == null) {
      return null;
    }
    return new dev.berth.api.server.model.ContainerState()
        .state(s.state().aciName())
        .startTime(time(s.startTime()))
        .finishTime(time(s.finishTime()))
        .exitCode(s.exitCode())
        .detailStatus(s.detailStatus());
  }

  private static List<Event> events(List<GroupEvent> events) {
    return events.stream()
        .map(
            e ->
                new Event()
                    .name(e.name())
                    .type(e.type().aciName())
                    .count(e.count())
                    .firstTimestamp(time(e.firstTimestamp()))
                    .lastTimestamp(time(e.lastTimestamp()))
                    .message(e.message()))
        .toList();
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
