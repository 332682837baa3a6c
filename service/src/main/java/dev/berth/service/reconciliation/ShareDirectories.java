package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.AzureFileShare;

/** The directories of azureFile shares, on a file system every host mounts at the same path. */
public interface ShareDirectories {

  /** None: every azureFile volume fails to prepare. */
  ShareDirectories NONE =
      share -> {
        throw new VolumeSourceFailure("azureFile volumes are not offered here");
      };

  /**
   * The share's directory as the hosts see it, created if it is new, with the share's mount options
   * applied (again on every call: level, not edge).
   *
   * @throws VolumeSourceFailure when the directory cannot be made or given its owner and mode
   */
  String prepare(AzureFileShare share);
}
