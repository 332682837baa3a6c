package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.PullProgress;
import dev.berth.runtime.RegistryAuth;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.VolumeDefinition;
import dev.berth.service.images.ImagePulls;
import dev.berth.service.images.ImageReference;
import dev.berth.service.images.RegistryCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host needs before a group's containers can be created there: the image and the volumes.
 */
final class HostPreparation {

  private final LaunchSpecs specs;
  private final Clock clock;
  private final VolumeFilling filling;
  private final ShareDirectories shares;
  private final ImagePulls pulls;

  HostPreparation(
      LaunchSpecs specs, Clock clock, GitCheckouts git, ShareDirectories shares, ImagePulls pulls) {
    this.specs = specs;
    this.clock = clock;
    this.filling = new VolumeFilling(git, specs);
    this.shares = shares;
    this.pulls = pulls;
  }

  /**
   * Whether the container's image is on the host, so it can be created now. ACI's Pulling event
   * (with the bytes done so far, also the container's detailStatus) while it is pulled, and Pulled
   * with how long it took. An image once seen on a host is not looked for again, which keeps the
   * call off the path from PUT to Running; create still pulls if it went missing since.
   *
   * @throws ImagePullFailure when the pull failed; RuntimeFailure when the host does not answer
   */
  boolean ensureImage(
      ContainerRuntime runtime,
      String hostId,
      ContainerGroup group,
      String image,
      String container,
      RaisedEvents raised) {
    // The sandbox's image is the operator's, on every host: never looked up in a registry again.
    boolean localOnly = LaunchSpecs.SANDBOX.equals(container);
    RegistryAuth auth =
        localOnly
            ? null
            : RegistryCredentials.forImage(
                    ImageReference.parse(image), group.spec().registryCredentials())
                .orElse(null);
    ImagePulls.Outcome outcome = pulls.ensure(runtime, hostId, image, auth, localOnly);
    if (outcome instanceof ImagePulls.Pulling pulling) {
      String text = "Pulling image \"" + image + "\"" + bytes(pulling.progress());
      raised.progress(container, "Pulling", text);
      raised.waiting(container, text);
      return false;
    }
    if (outcome instanceof ImagePulls.Failed failed) {
      raised.progress(container, "Pulling", "Pulling image \"" + image + "\"");
      throw failed.failure();
    }
    ImagePulls.Finished pulled = ((ImagePulls.Ready) outcome).pull();
    if (pulled != null) {
      raised.progress(
          container, "Pulling", "Pulling image \"" + image + "\"" + bytes(pulled.progress()));
      raised.raise(
          container,
          "Pulled",
          "Successfully pulled image \""
              + image
              + "\" in "
              + seconds(pulled.took())
              + (pulled.progress().totalBytes() > 0
                  ? " (" + megabytes(pulled.progress().totalBytes()) + ")"
                  : ""));
    }
    return true;
  }

  /** Whether an image of the group is being pulled onto the host (its pass looks again soon). */
  boolean pulling(String hostId, ContainerGroup group) {
    List<String> images = new java.util.ArrayList<>();
    group.spec().containers().forEach(c -> images.add(c.image()));
    group.spec().initContainers().forEach(c -> images.add(c.image()));
    return pulls.inFlight(hostId, images);
  }

  /** A create found the image missing after all: it is looked for again next time. */
  void imageMissing(String hostId, String image) {
    pulls.forget(hostId, image);
  }

  /** Whether a pull by a launch sent a credential (for the failure's message). */
  static boolean sendsCredential(ContainerGroup group, String image) {
    return RegistryCredentials.forImage(
            ImageReference.parse(image), group.spec().registryCredentials())
        .isPresent();
  }

  private static String bytes(PullProgress progress) {
    if (progress.totalBytes() <= 0) {
      return "";
    }
    return ": "
        + megabytes(progress.currentBytes())
        + " of "
        + megabytes(progress.totalBytes())
        + " ("
        + progress.currentBytes()
        + " of "
        + progress.totalBytes()
        + " bytes)";
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }

  private static String seconds(Duration took) {
    return String.format(java.util.Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
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
