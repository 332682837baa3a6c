package dev.berth.service.containergroup;

import java.net.URI;

/**
 * What a gitRepo volume holds: a repository cloned by Berth before the group's containers start.
 *
 * @param repository an http, https or git URL; it may carry credentials ({@code user:token@}), so
 *     only {@link #repositoryForDisplay()} goes into events and logs
 * @param directory where in the volume: {@code "."} for its root (ACI's and Kubernetes' meaning),
 *     otherwise a relative path without {@code ..}
 * @param revision a commit, branch or tag; null for the remote's HEAD
 */
public record GitRepoSource(String repository, String directory, String revision) {

  public GitRepoSource {
    directory = directory == null || directory.isEmpty() ? "." : directory;
  }

  /** Whether the checkout goes to the volume's root. */
  public boolean atRoot() {
    return directory.equals(".") || directory.equals("./");
  }

  /** The repository's URL without any credentials in it. */
  public String repositoryForDisplay() {
    return withoutCredentials(repository);
  }

  /** {@code repository} (a git URL) without any credentials in it. */
  public static String withoutCredentials(String repository) {
    try {
      URI uri = URI.create(repository);
      if (uri.getRawUserInfo() == null) {
        return repository;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (IllegalArgumentException | java.net.URISyntaxException notAUri) {
      int at = repository.lastIndexOf('@');
      return at < 0 ? repository : "***" + repository.substring(at);
    }
  }

  @Override
  public String toString() {
    return "GitRepoSource[repository="
        + repositoryForDisplay()
        + ", directory="
        + directory
        + ", revision="
        + revision
        + "]";
  }
}
