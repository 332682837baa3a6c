package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.GitRepoSource;
import dev.berth.service.containergroup.VolumeDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills a gitRepo volume: clones on Berth's machine, then copies the checkout into the volume as
 * one tar stream, then writes a marker. The marker comes last, so a volume without it is new or was
 * left half-written by a pass that died mid-copy; either way it is emptied (removed and made again)
 * and filled anew, never cloned twice into what is already there.
 */
final class VolumeFilling {

  /** Written into the volume's root once the checkout is complete in it. */
  static final String CLONED_MARKER = ".berth-gitrepo-complete";

  private final GitCheckouts git;
  private final LaunchSpecs specs;

  VolumeFilling(GitCheckouts git, LaunchSpecs specs) {
    this.git = git;
    this.specs = specs;
  }

  void fromGit(ContainerRuntime runtime, ContainerGroup group, VolumeDefinition volume) {
    String name = LaunchSpecs.volumeName(group, volume.name());
    if (runtime.volumeHasFile(name, CLONED_MARKER, specs.helperImage())) {
      return;
    }
    // No container of the group has been created on this volume before it was complete, so
    // nothing holds it: a fresh volume is the one way to drop what a dead pass half-copied.
    runtime.removeVolume(name);
    runtime.ensureVolume(name, specs.volumeLabels(group));
    Path work = temporaryDirectory();
    try {
      GitRepoSource source = volume.gitRepo();
      // The volume's tree as it should be: the checkout at its root or in the subdirectory.
      Path tree = work.resolve("tree");
      try {
        git.checkout(source, source.atRoot() ? tree : tree.resolve(source.directory()));
      } catch (VolumeSourceFailure failure) {
        throw new VolumeSourceFailure(
            "gitRepo volume '" + volume.name() + "': " + failure.getMessage());
      }
      runtime.copyIntoVolume(name, tree, specs.helperImage());
      runtime.writeVolume(
          name,
          Map.of(CLONED_MARKER, source.repositoryForDisplay().getBytes(StandardCharsets.UTF_8)),
          specs.helperImage());
    } finally {
      deleteTree(work);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("berth-gitrepo-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary directory costs disk, not correctness; the next clone uses another.
      java.util.logging.Logger.getLogger(VolumeFilling.class.getName())
          .warning("could not delete " + root + ": " + e);
    }
  }
}
