package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.VolumeDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a host needs before a group's containers can be created there: the image and the volumes.
 */
final class HostPreparation {

  private final LaunchSpecs specs;
  private final Clock clock;
  private final VolumeFilling filling;
  private final ShareDirectories shares;
  private final Set<String> imagesOnHosts = ConcurrentHashMap.newKeySet();

  HostPreparation(LaunchSpecs specs, Clock clock, GitCheckouts git, ShareDirectories shares) {
    this.specs = specs;
    this.clock = clock;
    this.filling = new VolumeFilling(git, specs);
    this.shares = shares;
  }

  /**
   * ACI's Pulling and Pulled events. An image once seen on a host is not looked for again, which
   * keeps the call off the path from PUT to Running; create still pulls if it went missing since.
   */
  void ensureImage(
      ContainerRuntime runtime,
      String hostId,
      String image,
      String container,
      RaisedEvents raised) {
    String key = hostId + "\n" + image;
    if (imagesOnHosts.contains(key)) {
      return;
    }
    Instant started = clock.instant();
    try {
      if (runtime.pullIfAbsent(image)) {
        raised.raise(container, "Pulling", "Pulling image " + image);
        raised.raise(
            container,
            "Pulled",
            "Successfully pulled image "
                + image
                + " in "
                + Duration.between(started, clock.instant()).toMillis()
                + " ms");
      }
      imagesOnHosts.add(key);
    } catch (RuntimeFailure failure) {
      if (failure.kind() == RuntimeFailure.Kind.IMAGE_UNAVAILABLE) {
        raised.raise(container, "Pulling", "Pulling image " + image);
      }
      throw failure;
    }
  }

  /**
   * Idempotent: creating an existing volume finds it; secret files are written again as they are; a
   * gitRepo volume is cloned only until it is complete; a share's directory and mode are set again.
   *
   * @throws VolumeSourceFailure when a volume cannot be given its contents
   */
  void prepareVolumes(ContainerRuntime runtime, ContainerGroup group) {
    for (VolumeDefinition volume : group.spec().volumes()) {
      String name = LaunchSpecs.volumeName(group, volume.name());
      if (volume.kind() == VolumeDefinition.Kind.AZURE_FILE) {
        runtime.ensureHostDirectoryVolume(
            name, shares.prepare(volume.azureFile()), specs.volumeLabels(group));
        continue;
      }
      runtime.ensureVolume(name, specs.volumeLabels(group));
      if (volume.kind() == VolumeDefinition.Kind.GIT_REPO) {
        filling.fromGit(runtime, group, volume);
      } else if (volume.kind() == VolumeDefinition.Kind.SECRET) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        volume
            .secretFiles()
            .forEach((file, base64) -> files.put(file, Base64.getDecoder().decode(base64)));
        runtime.writeVolume(name, files, specs.helperImage());
      }
    }
  }
}
