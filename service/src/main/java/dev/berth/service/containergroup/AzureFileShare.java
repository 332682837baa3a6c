package dev.berth.service.containergroup;

/**
 * An azureFile volume: a share of a storage account the operator configured. The share is a
 * directory of the account's directory, which every host mounts, so its data outlives the group and
 * is there on whichever host the group runs next.
 *
 * @param storageAccountKey the key the group was created with (a secret: checked against the
 *     account's, stored encrypted, never returned, never logged)
 * @param readOnly every mount of the share is read-only
 * @param mountOptions owner and mode of the share's directory; null leaves them as they are
 */
public record AzureFileShare(
    String shareName,
    String storageAccountName,
    String storageAccountKey,
    boolean readOnly,
    ShareMountOptions mountOptions) {

  /** This share with another key (encrypted or decrypted). */
  public AzureFileShare withKey(String key) {
    return new AzureFileShare(shareName, storageAccountName, key, readOnly, mountOptions);
  }

  @Override
  public String toString() {
    return "AzureFileShare[shareName="
        + shareName
        + ", storageAccountName="
        + storageAccountName
        + ", readOnly="
        + readOnly
        + ", mountOptions="
        + mountOptions
        + "]";
  }
}
