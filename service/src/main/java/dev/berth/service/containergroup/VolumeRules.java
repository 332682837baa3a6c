package dev.berth.service.containergroup;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The rules of gitRepo and azureFile volumes, each broken rule naming its field. */
final class VolumeRules {

  /** Azure Files: 3-63 lowercase letters, digits and single hyphens, no hyphen at either end. */
  private static final Pattern SHARE_NAME =
      Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");

  /** A commit, branch or tag: git's ref characters, no whitespace, no option-looking start. */
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._/+-]{1,255}");

  private final StorageAccounts accounts;

  VolumeRules(StorageAccounts accounts) {
    this.accounts = accounts;
  }

  List<Violation> check(List<VolumeDefinition> volumes) {
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < volumes.size(); i++) {
      VolumeDefinition volume = volumes.get(i);
      String at = "properties.volumes[" + i + "]";
      if (volume.gitRepo() != null) {
        gitRepo(volume.gitRepo(), at + ".gitRepo", violations);
      }
      if (volume.azureFile() != null) {
        azureFile(volume.azureFile(), at + ".azureFile", violations);
      }
    }
    return violations;
  }

  private static void gitRepo(GitRepoSource git, String at, List<Violation> violations) {
    if (!validRepository(git.repository())) {
      violations.add(
          new Violation(
              "InvalidGitRepository",
              "repository must be an http, https or git URL with a host.",
              at + ".repository"));
    }
    String directory = git.directory();
    if (directory.startsWith("/")
        || directory.equals("..")
        || directory.startsWith("../")
        || directory.contains("/../")
        || directory.endsWith("/..")
        || directory.contains("\\")
        || directory.contains("\0")
        || directory.length() > 255) {
      violations.add(
          new Violation(
              "InvalidGitRepoDirectory",
              "directory must be '.' or a relative path without '..' (at most 255 characters).",
              at + ".directory"));
    }
    if (git.revision() != null
        && (!REVISION.matcher(git.revision()).matches() || git.revision().startsWith("-"))) {
      violations.add(
          new Violation(
              "InvalidGitRevision",
              "revision must be a commit, branch or tag name: letters, digits, '.', '_', '/', '+'"
                  + " and '-', not starting with '-'.",
              at + ".revision"));
    }
  }

  private static boolean validRepository(String repository) {
    if (repository == null || repository.isBlank()) {
      return false;
    }
    try {
      URI uri = new URI(repository);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equals("http") || scheme.equals("https") || scheme.equals("git"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty();
    } catch (java.net.URISyntaxException notAUri) {
      return false;
    }
  }

  private void azureFile(AzureFileShare share, String at, List<Violation> violations) {
    if (share.shareName() == null || !SHARE_NAME.matcher(share.shareName()).matches()) {
      violations.add(
          new Violation(
              "InvalidShareName",
              "shareName must be 3-63 lowercase letters, digits and single hyphens, starting and"
                  + " ending with a letter or digit.",
              at + ".shareName"));
    }
    String account = share.storageAccountName();
    if (account == null || !accounts.exists(account)) {
      violations.add(
          new Violation(
              "StorageAccountNotFound",
              "storageAccountName must name a storage account this Berth offers"
                  + (account == null ? "." : "; '" + account + "' is not one."),
              at + ".storageAccountName"));
    } else if (share.storageAccountKey() == null
        || !accounts.keyMatches(account, share.storageAccountKey())) {
      // Never repeats the key: it is a secret.
      violations.add(
          new Violation(
              "InvalidStorageAccountKey",
              "storageAccountKey is not the key of the storage account '" + account + "'.",
              at + ".storageAccountKey"));
    }
    ShareMountOptions options = share.mountOptions();
    if (options != null) {
      if (options.uid() != null && options.uid() < 0) {
        violations.add(
            new Violation(
                "InvalidMountOptions",
                "mountOptions.uid must be 0 or more.",
                at + ".mountOptions.uid"));
      }
      if (options.gid() != null && options.gid() < 0) {
        violations.add(
            new Violation(
                "InvalidMountOptions",
                "mountOptions.gid must be 0 or more.",
                at + ".mountOptions.gid"));
      }
      if (options.mode() != null && (options.mode() < 0 || options.mode() > 07777)) {
        violations.add(
            new Violation(
                "InvalidMountOptions",
                "mountOptions.mode must be octal permission bits from 0 to 7777.",
                at + ".mountOptions.mode"));
      }
    }
  }
}
