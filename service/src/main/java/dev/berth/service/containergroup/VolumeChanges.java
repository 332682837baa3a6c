package dev.berth.service.containergroup;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a PUT replacing a group may change about a volume that keeps its name. The engine volume
 * behind a name is made once per group and filled once (a gitRepo's clone) or bound once (an
 * azureFile's share), so a new kind, repository, revision, directory, account or share under the
 * same name would silently keep the old one; such a change is refused, and nothing is changed.
 * Contents that are written on every launch (secret files, a share's mount options, readOnly, the
 * key of the same account) may change.
 */
public final class VolumeChanges {

  private VolumeChanges() {}

  /**
   * @throws GroupConflictException (409 VolumeChangeNotSupported) naming the first volume whose
   *     source changes
   */
  public static void check(GroupSpec current, GroupSpec next) {
    Map<String, VolumeDefinition> before =
        current.volumes().stream()
            .collect(Collectors.toMap(VolumeDefinition::name, Function.identity(), (a, b) -> a));
    for (VolumeDefinition after : next.volumes()) {
      VolumeDefinition was = before.get(after.name());
      if (was != null && !sameSource(was, after)) {
        throw new GroupConflictException(
            "VolumeChangeNotSupported",
            "The volume '"
                + after.name()
                + "' would change its kind or source ("
                + describe(was)
                + " to "
                + describe(after)
                + "). A volume's data is made once for a group: give the new volume another name,"
                + " or delete the group and create it again.");
      }
    }
  }

  private static boolean sameSource(VolumeDefinition a, VolumeDefinition b) {
    if (a.kind() != b.kind()) {
      return false;
    }
    return switch (a.kind()) {
      case EMPTY_DIR, SECRET -> true;
      case GIT_REPO -> Objects.equals(a.gitRepo(), b.gitRepo());
      case AZURE_FILE ->
          a.azureFile() != null
              && b.azureFile() != null
              && Objects.equals(
                  a.azureFile().storageAccountName(), b.azureFile().storageAccountName())
              && Objects.equals(a.azureFile().shareName(), b.azureFile().shareName());
    };
  }

  private static String describe(VolumeDefinition v) {
    return switch (v.kind()) {
      case EMPTY_DIR -> "emptyDir";
      case SECRET -> "secret";
      case GIT_REPO -> "gitRepo " + v.gitRepo();
      case AZURE_FILE ->
          "azureFile "
              + (v.azureFile() == null
                  ? "?"
                  : v.azureFile().storageAccountName() + "/" + v.azureFile().shareName());
    };
  }
}
