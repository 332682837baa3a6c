package dev.berth.service.web;

import dev.berth.api.server.model.Volume;
import dev.berth.api.server.model.VolumeMount;
import dev.berth.service.containergroup.AzureFileShare;
import dev.berth.service.containergroup.GitRepoSource;
import dev.berth.service.containergroup.Mount;
import dev.berth.service.containergroup.ShareMountOptions;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.containergroup.VolumeDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ACI's volumes and volumeMounts: emptyDir, secret, gitRepo, azureFile; at absolute paths. */
final class VolumeMapping {

  private VolumeMapping() {}

  private static final java.util.regex.Pattern VOLUME_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,255}");

  /** emptyDir, secret, gitRepo and azureFile volumes (the rules of the last two: VolumeRules). */
  static Map<String, VolumeDefinition> volumes(List<Volume> given, List<Violation> violations) {
    Map<String, VolumeDefinition> volumes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < given.size(); i++) {
      Volume v = given.get(i);
      String at = "properties.volumes[" + i + "]";
      if (v == null || v.getName() == null || !VOLUME_NAME.matcher(v.getName()).matches()) {
        violations.add(
            new Violation(
                "InvalidVolumeName",
                "A volume name must be 1-63 lowercase letters, digits or '-', not starting or ending with '-'.",
                at + ".name"));
        continue;
      }
      if (volumes.containsKey(v.getName())) {
        violations.add(
            new Violation(
                "DuplicateVolumeName",
                "The volume '" + v.getName() + "' is defined twice.",
                at + ".name"));
        continue;
      }

      boolean secret = v.getSecret() != null && !v.getSecret().isEmpty();
      if (v.getAzureFile() != null || v.getGitRepo() != null) {
        if (secret || (v.getAzureFile() != null && v.getGitRepo() != null)) {
          violations.add(
              new Violation(
                  "InvalidVolume",
                  "A volume must be of one kind: emptyDir, secret, azureFile or gitRepo.",
                  at));
          continue;
        }
        volumes.put(v.getName(), sourced(v, at, violations));
        continue;
      }
      // The generated model cannot tell an absent emptyDir from {} (clients send both): a volume
      // with secret files is a secret volume, any other an emptyDir.
      if (!secret) {
        volumes.put(
            v.getName(),
            new VolumeDefinition(v.getName(), VolumeDefinition.Kind.EMPTY_DIR, Map.of()));
        continue;
      }
      Map<String, String> files = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, String> file : v.getSecret().entrySet()) {
        if (!FILE_NAME.matcher(file.getKey()).matches()
            || file.getKey().equals(".")
            || file.getKey().equals("..")) {
          violations.add(
              new Violation(
                  "InvalidSecretFileName",
                  "A secret file name must be letters, digits, '.', '_' or '-'.",
                  at + ".secret"));
          continue;
        }
        try {
          java.util.Base64.getDecoder().decode(file.getValue() == null ? "" : file.getValue());
          files.put(file.getKey(), file.getValue() == null ? "" : file.getValue());
        } catch (IllegalArgumentException notBase64) {
          // The message never repeats the value: it is a secret.
          violations.add(
              new Violation(
                  "InvalidSecretValue",
                  "A secret file's content must be base64.",
                  at + ".secret." + file.getKey()));
        }
      }
      volumes.put(
          v.getName(), new VolumeDefinition(v.getName(), VolumeDefinition.Kind.SECRET, files));
    }
    return volumes;
  }

  /** A gitRepo or azureFile volume, as given; VolumeRules checks what it says. */
  private static VolumeDefinition sourced(Volume v, String at, List<Violation> violations) {
    if (v.getGitRepo() != null) {
      var git = v.getGitRepo();
      return new VolumeDefinition(
          v.getName(),
          VolumeDefinition.Kind.GIT_REPO,
          Map.of(),
          new GitRepoSource(git.getRepository(), git.getDirectory(), git.getRevision()),
          null);
    }
    var file = v.getAzureFile();
    ShareMountOptions options = null;
    if (file.getMountOptions() != null) {
      var given = file.getMountOptions();
      options =
          new ShareMountOptions(
              given.getUid(), given.getGid(), mode(given.getMode(), at, violations));
    }
    return new VolumeDefinition(
        v.getName(),
        VolumeDefinition.Kind.AZURE_FILE,
        Map.of(),
        null,
        new AzureFileShare(
            file.getShareName(),
            file.getStorageAccountName(),
            file.getStorageAccountKey(),
            Boolean.TRUE.equals(file.getReadOnly()),
            options));
  }

  /** Octal permission bits such as "0770" or "755"; null when absent. */
  private static Integer mode(String given, String at, List<Violation> violations) {
    if (given == null) {
      return null;
    }
    if (!given.matches("[0-7]{1,4}")) {
      violations.add(
          new Violation(
              "InvalidMountOptions",
              "mountOptions.mode must be octal permission bits such as '0770'.",
              at + ".azureFile.mountOptions.mode"));
      return null;
    }
    return Integer.parseInt(given, 8);
  }

  /** A container's volumeMounts: each of a group volume, at an absolute path; secrets read-only. */
  static List<Mount> mounts(
      List<VolumeMount> given,
      String at,
      Map<String, VolumeDefinition> volumes,
      List<Violation> violations) {
    List<Mount> mounts = new ArrayList<>();
    java.util.Set<String> paths = new java.util.HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      VolumeMount m = given.get(i);
      String target = at + "[" + i + "]";
      if (m == null || m.getName() == null || !volumes.containsKey(m.getName())) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "volumeMounts must name a volume of the group"
                    + (m == null || m.getName() == null
                        ? "."
                        : ": '" + m.getName() + "' is not one."),
                target + ".name"));
        continue;
      }
      String path = m.getMountPath();
      if (path == null
          || !path.startsWith("/")
          || path.contains(":")
          || path.equals("/")
          || path.contains("/../")
          || path.endsWith("/..")) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "mountPath must be an absolute path other than / without ':' or '..'.",
                target + ".mountPath"));
        continue;
      }
      if (!paths.add(path)) {
        violations.add(
            new Violation(
                "InvalidVolumeMount",
                "Two volumes are mounted at " + path + ".",
                target + ".mountPath"));
        continue;
      }
      VolumeDefinition volume = volumes.get(m.getName());
      boolean forcedReadOnly =
          volume.kind() == VolumeDefinition.Kind.SECRET
              || (volume.azureFile() != null && volume.azureFile().readOnly());
      mounts.add(
          new Mount(m.getName(), path, forcedReadOnly || Boolean.TRUE.equals(m.getReadOnly())));
    }
    return mounts;
  }
}
