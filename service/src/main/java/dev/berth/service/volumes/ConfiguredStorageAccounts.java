package dev.berth.service.volumes;

import dev.berth.service.containergroup.AzureFileShare;
import dev.berth.service.containergroup.ShareMountOptions;
import dev.berth.service.containergroup.StorageAccounts;
import dev.berth.service.reconciliation.ShareDirectories;
import dev.berth.service.reconciliation.VolumeSourceFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The storage accounts the operator configured, each a directory that every host (and every Berth
 * replica) mounts at the same path: an NFS or CephFS mount in a real fleet. A share is a
 * subdirectory. Only the SHA-256 of an account's key is configured, so Berth's settings hold no
 * key; a group's key is checked against it in constant time.
 */
public final class ConfiguredStorageAccounts implements StorageAccounts, ShareDirectories {

  /**
   * One account.
   *
   * @param directory the directory of its shares, the same path on every host and replica
   * @param keySha256 hex SHA-256 of the account's key (UTF-8)
   */
  public record Account(Path directory, String keySha256) {}

  private final Map<String, Account> accounts;

  public ConfiguredStorageAccounts(Map<String, Account> accounts) {
    this.accounts = Map.copyOf(accounts);
  }

  @Override
  public boolean exists(String account) {
    return accounts.containsKey(account);
  }

  @Override
  public boolean keyMatches(String account, String key) {
    Account configured = accounts.get(account);
    if (configured == null || key == null || configured.keySha256() == null) {
      return false;
    }
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(configured.keySha256().trim().toLowerCase());
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    return MessageDigest.isEqual(expected, sha256(key));
  }

  @Override
  public String prepare(AzureFileShare share) {
    Account account = accounts.get(share.storageAccountName());
    if (account == null) {
      // Validated at creation; the operator removed the account since.
      throw new VolumeSourceFailure(
          "azureFile share '"
              + share.shareName()
              + "': the storage account '"
              + share.storageAccountName()
              + "' is no longer offered.");
    }
    Path directory = account.directory().resolve(share.shareName());
    try {
      Files.createDirectories(directory);
      apply(directory, share.mountOptions());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw new VolumeSourceFailure(
          "azureFile share '" + share.shareName() + "' cannot be prepared: " + e.getMessage());
    }
    return directory.toAbsolutePath().toString();
  }

  private static void apply(Path directory, ShareMountOptions options) throws IOException {
    if (options == null) {
      return;
    }
    if (options.uid() != null) {
      Files.setAttribute(directory, "unix:uid", options.uid());
    }
    if (options.gid() != null) {
      Files.setAttribute(directory, "unix:gid", options.gid());
    }
    if (options.mode() != null) {
      // The unix view sets every bit, setuid, setgid and sticky included.
      Files.setAttribute(directory, "unix:mode", options.mode());
    }
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
