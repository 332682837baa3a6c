package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.GitRepoSource;
import java.nio.file.Path;

/** Clones the repositories of gitRepo volumes on Berth's own machine, never inside a container. */
public interface GitCheckouts {

  /** None: every gitRepo volume fails to prepare. */
  GitCheckouts NONE =
      (git, into) -> {
        throw new VolumeSourceFailure("gitRepo volumes are not offered here");
      };

  /**
   * Clones {@code git.repository()} into {@code into} (a directory that does not exist yet) and
   * checks out {@code git.revision()}, or the remote's HEAD when it is null.
   *
   * @throws VolumeSourceFailure naming the repository (without credentials) or the revision
   */
  void checkout(GitRepoSource git, Path into);
}
