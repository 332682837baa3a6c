package dev.berth.service.persistence;

import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.EnvironmentVariable;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.VolumeDefinition;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** How domain values are kept in JSON columns. secureValues are encrypted on the way in. */
final class StoredJson {

  private final JsonMapper json = JsonMapper.builder().build();
  private final SecretCipher cipher;

  StoredJson(SecretCipher cipher) {
    this.cipher = cipher;
  }

  String spec(GroupSpec spec) {
    return json.writeValueAsString(mapSecrets(spec, cipher::encrypt));
  }

  GroupSpec spec(String stored) {
    return mapSecrets(json.readValue(stored, GroupSpec.class), cipher::decrypt);
  }

  String containers(List<ContainerStatus> containers) {
    return json.writeValueAsString(containers);
  }

  List<ContainerStatus> containers(String stored) {
    return json.readValue(stored, new TypeReference<List<ContainerStatus>>() {});
  }

  String streamEvent(dev.berth.service.containergroup.StreamEvent event) {
    return json.writeValueAsString(event);
  }

  dev.berth.service.containergroup.StreamEvent streamEvent(String stored) {
    return json.readValue(stored, dev.berth.service.containergroup.StreamEvent.class);
  }

  String events(List<GroupEvent> events) {
    return json.writeValueAsString(events);
  }

  List<GroupEvent> events(String stored) {
    return json.readValue(stored, new TypeReference<List<GroupEvent>>() {});
  }

  String tags(Map<String, String> tags) {
    return json.writeValueAsString(tags);
  }

  Map<String, String> tags(String stored) {
    return json.readValue(stored, new TypeReference<Map<String, String>>() {});
  }

  /**
   * Applies {@code secret} to every secret of a spec: secureValues, secret volume files, storage
   * account keys and registry passwords.
   */
  private static GroupSpec mapSecrets(GroupSpec spec, UnaryOperator<String> secret) {
    UnaryOperator<ContainerDefinition> secrets = c -> withSecrets(c, secret);
    List<ContainerDefinition> containers = spec.containers().stream().map(secrets).toList();
    List<ContainerDefinition> inits = spec.initContainers().stream().map(secrets).toList();
    List<VolumeDefinition> volumes =
        spec.volumes().stream().map(v -> v.withSecrets(secret)).toList();
    return new GroupSpec(
        containers,
        spec.restartPolicy(),
        spec.osType(),
        spec.ports(),
        spec.dnsNameLabel(),
        volumes,
        inits,
        spec.zone(),
        spec.dns(),
        spec.registryCredentials().stream()
            .map(
                c ->
                    new dev.berth.service.containergroup.RegistryCredential(
                        c.server(), c.username(), secret.apply(c.password())))
            .toList());
  }

  private static ContainerDefinition withSecrets(
      ContainerDefinition c, UnaryOperator<String> secret) {
    return new ContainerDefinition(
            c.name(),
            c.image(),
            c.command(),
            c.environment().stream()
                .map(
                    v ->
                        v.secure()
                            ? new EnvironmentVariable(v.name(), secret.apply(v.value()), true)
                            : v)
                .toList(),
            c.requests(),
            c.limits(),
            c.mounts())
        .withProbes(c.livenessProbe(), c.readinessProbe());
  }
}
