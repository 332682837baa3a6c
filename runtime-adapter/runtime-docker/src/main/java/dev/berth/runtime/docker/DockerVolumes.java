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

  /** The name of every helper container starts so. */
  static final String HELPER_PREFIX = "berth-volume-writer-";

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
    var response = client.listVolumesCmd().withFilter("label", filter).exec();
    var volumes = response.getVolumes();
    if (volumes == null) {
      return java.util.List.of();
    }
    Map<String, java.time.Instant> created =
        createdAtByName(response.getRawValues().get("Volumes"));
    return volumes.stream()
        .map(
            v ->
                new dev.berth.runtime.ManagedVolume(
                    v.getName(),
                    v.getLabels() == null ? Map.of() : v.getLabels(),
                    created.get(v.getName())))
        .toList();
  }

  /**
   * docker-java 3.7.1 does not map a volume's CreatedAt, and keeps raw values only on the top-level
   * answer: the raw "Volumes" list still has every field the engine sent.
   */
  private static Map<String, java.time.Instant> createdAtByName(Object rawVolumes) {
    Map<String, java.time.Instant> byName = new java.util.HashMap<>();
    if (rawVolumes instanceof java.util.List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> volume && volume.get("Name") instanceof String name) {
          java.time.Instant at = createdAt(volume.get("CreatedAt"));
          if (at != null) {
            byName.put(name, at);
          }
        }
      }
    }
    return byName;
  }

  /**
   * A volume's CreatedAt (RFC 3339, e.g. {@code 2024-05-01T10:00:00Z}); null when the engine did
   * not say (before API 1.29) or said Docker's zero time.
   */
  static java.time.Instant createdAt(Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      return null;
    }
    try {
      java.time.Instant at = java.time.OffsetDateTime.parse(text).toInstant();
      return at.isBefore(java.time.Instant.EPOCH) ? null : at;
    } catch (java.time.format.DateTimeParseException unknownFormat) {
      return null;
    }
  }

  void remove(String name) {
    try {
      client.removeVolumeCmd(name).exec();
    } catch (NotFoundException alreadyGone) {
      // Idempotent.
    } catch (com.github.dockerjava.api.exception.ConflictException inUse) {
      // A helper left by a process that died between creating and removing it would hold the
      // volume for ever. Helpers are never started and only the host's owner makes them, one at a
      // time per group, so any helper on this volume now is such a leftover.
      var helpers =
          client
              .listContainersCmd()
              .withShowAll(true)
              .withFilter("volume", java.util.List.of(name))
              .withNameFilter(java.util.List.of(HELPER_PREFIX))
              .exec();
      helpers.stream()
          .filter(c -> c.getNames() != null)
          .filter(
              c ->
                  java.util.Arrays.stream(c.getNames())
                      .anyMatch(n -> n.startsWith("/" + HELPER_PREFIX)))
          .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
      client.removeVolumeCmd(name).exec();
    }
  }

  /**
   * Creates (never starts) a container that mounts the volume, copies the files into it as a tar,
   * and removes the container: the files land in the volume, on a remote engine too.
   */
  void write(String name, Map<String, byte[]> files, String helperImage) {
    String helper = helper(name, helperImage);
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

  /**
   * A local-driver volume bound to a directory of the host: mounted like any named volume, so the
   * container spec stays "named volumes only", and removing it leaves the directory's files.
   */
  void ensureHostDirectory(String name, String hostDirectory, Map<String, String> labels) {
    client
        .createVolumeCmd()
        .withName(name)
        .withDriver("local")
        .withDriverOpts(Map.of("type", "none", "o", "bind", "device", hostDirectory))
        .withLabels(labels)
        .exec();
  }

  /** The tree under {@code source} as one tar stream into the volume's root. */
  void copyInto(String name, java.nio.file.Path source, String helperImage) {
    String helper = helper(name, helperImage);
    try {
      client
          .copyArchiveToContainerCmd(helper)
          .withRemotePath("/volume")
          .withHostResource(source.toString())
          .withDirChildrenOnly(true)
          .exec();
    } finally {
      client.removeContainerCmd(helper).withForce(true).exec();
    }
  }

  boolean hasFile(String name, String file, String helperImage) {
    String helper = helper(name, helperImage);
    try (java.io.InputStream archive =
        client.copyArchiveFromContainerCmd(helper, "/volume/" + file).exec()) {
      archive.transferTo(java.io.OutputStream.nullOutputStream());
      return true;
    } catch (NotFoundException absent) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      client.removeContainerCmd(helper).withForce(true).exec();
    }
  }

  /** A created, never started container that mounts the volume at /volume. */
  private String helper(String name, String helperImage) {
    return client
        .createContainerCmd(helperImage)
        .withName(HELPER_PREFIX + UUID.randomUUID())
        .withEntrypoint("true")
        .withCmd(java.util.List.of())
        .withHostConfig(
            HostConfig.newHostConfig()
                .withBinds(new Bind(name, new Volume("/volume")))
                .withNetworkMode("none"))
        .exec()
        .getId();
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
