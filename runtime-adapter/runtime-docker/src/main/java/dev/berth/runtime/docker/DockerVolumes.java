package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Named volumes: created, removed, and written through a helper container (the API has no volume
 * write).
 */
final class DockerVolumes {

  private final DockerClient client;

  DockerVolumes(DockerClient client) {
    this.client = client;
  }

  void ensure(String name, Map<String, String> labels) {
    // The engine answers an existing volume of the same name as created: idempotent by name.
    client.createVolumeCmd().withName(name).withLabels(labels).exec();
  }

  java.util.List<dev.berth.runtime.ManagedVolume> list(Map<String, String> labels) {
    java.util.List<String> filter = new java.util.ArrayList<>();
    filter.add(dev.berth.runtime.Labels.MANAGED + "=true");
    labels.forEach((k, v) -> filter.add(k + "=" + v));
    var volumes = client.listVolumesCmd().withFilter("label", filter).exec().getVolumes();
    return volumes == null
        ? java.util.List.of()
        : volumes.stream()
            .map(
                v ->
                    new dev.berth.runtime.ManagedVolume(
                        v.getName(), v.getLabels() == null ? Map.of() : v.getLabels()))
            .toList();
  }

  void remove(String name) {
    try {
      client.removeVolumeCmd(name).exec();
    } catch (NotFoundException alreadyGone) {
      // Idempotent.
    }
  }

  /**
   * Creates (never starts) a container that mounts the volume, copies the files into it as a tar,
   * and removes the container: the files land in the volume, on a remote engine too.
   */
  void write(String name, Map<String, byte[]> files, String helperImage) {
    String helper =
        client
            .createContainerCmd(helperImage)
            .withName("berth-volume-writer-" + UUID.randomUUID())
            .withEntrypoint("true")
            .withCmd(java.util.List.of())
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withBinds(new Bind(name, new Volume("/volume")))
                    .withNetworkMode("none"))
            .exec()
            .getId();
    try {
      client
          .copyArchiveToContainerCmd(helper)
          .withRemotePath("/volume")
          .withTarInputStream(new ByteArrayInputStream(tar(files)))
          .exec();
    } finally {
      client.removeContainerCmd(helper).withForce(true).exec();
    }
  }

  /** Files readable by every user of the container, writable by none. */
  private static byte[] tar(Map<String, byte[]> files) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0444);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
