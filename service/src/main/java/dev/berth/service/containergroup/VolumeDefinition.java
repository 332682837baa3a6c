package dev.berth.service.containergroup;

import java.util.Map;

/**
 * A volume of a group, mountable by its containers. emptyDir, secret and gitRepo volumes live as
 * long as the group; an azureFile share outlives it.
 *
 * @param secretFiles for a secret volume: file name to base64 content (a secret: never returned,
 *     never logged, stored encrypted); empty for an emptyDir
 * @param gitRepo for a gitRepo volume: what is cloned into it; null otherwise
 * @param azureFile for an azureFile volume: the share it mounts; null otherwise
 */
public record VolumeDefinition(
    String name,
    Kind kind,
    Map<String, String> secretFiles,
    GitRepoSource gitRepo,
    AzureFileShare azureFile) {

  /**
   * The kinds Berth supports; a path of the host is mounted only for a share of a storage account
   * the operator configured.
   */
  public enum Kind {
    /** An empty directory shared by the containers that mount it. */
    EMPTY_DIR,
    /** Files from base64 values, mounted read-only. */
    SECRET,
    /** A git repository cloned by Berth before the containers start. */
    GIT_REPO,
    /** A share of a configured storage account: a directory every host mounts. */
    AZURE_FILE
  }

  public VolumeDefinition {
    secretFiles = secretFiles == null ? Map.of() : Map.copyOf(secretFiles);
  }

  /** An emptyDir or secret volume. */
  public VolumeDefinition(String name, Kind kind, Map<String, String> secretFiles) {
    this(name, kind, secretFiles, null, null);
  }

  /**
   * This volume with its secrets (secret files, storage key, the repository URL of a gitRepo, which
   * may carry a token) passed through {@code secret}.
   */
  public VolumeDefinition withSecrets(java.util.function.UnaryOperator<String> secret) {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    secretFiles.forEach((file, content) -> files.put(file, secret.apply(content)));
    return new VolumeDefinition(
        name,
        kind,
        files,
        gitRepo == null
            ? null
            : new GitRepoSource(
                secret.apply(gitRepo.repository()), gitRepo.directory(), gitRepo.revision()),
        azureFile == null || azureFile.storageAccountKey() == null
            ? azureFile
            : azureFile.withKey(secret.apply(azureFile.storageAccountKey())));
  }

  @Override
  public String toString() {
    return "VolumeDefinition[name="
        + name
        + ", kind="
        + kind
        + ", files="
        + secretFiles.keySet()
        + (gitRepo == null ? "" : ", gitRepo=" + gitRepo)
        + (azureFile == null ? "" : ", azureFile=" + azureFile)
        + "]";
  }
}
