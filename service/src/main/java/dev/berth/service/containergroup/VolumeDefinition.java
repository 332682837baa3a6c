package dev.berth.service.containergroup;

import java.util.Map;

/**
 * A volume of a group, mountable by its containers; it lives as long as the group.
 *
 * @param secretFiles for a secret volume: file name to base64 content (a secret: never returned,
 *     never logged, stored encrypted); empty for an emptyDir
 */
public record VolumeDefinition(String name, Kind kind, Map<String, String> secretFiles) {

  /** The kinds Berth supports; mounts of the host's file system are never offered. */
  public enum Kind {
    /** An empty directory shared by the containers that mount it. */
    EMPTY_DIR,
    /** Files from base64 values, mounted read-only. */
    SECRET
  }

  public VolumeDefinition {
    secretFiles = secretFiles == null ? Map.of() : Map.copyOf(secretFiles);
  }

  @Override
  public String toString() {
    return "VolumeDefinition[name="
        + name
        + ", kind="
        + kind
        + ", files="
        + secretFiles.keySet()
        + "]";
  }
}
