package dev.berth.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where volumes that outlive containers come from (prefix {@code berth.storage}).
 *
 * @param accounts the storage accounts azureFile volumes may name, by account name
 * @param gitTimeout how long a gitRepo clone's connection may be silent before it is given up
 * @param gitDeadline how long a whole gitRepo clone may take (a reconciler worker waits for it)
 */
@ConfigurationProperties("berth.storage")
public record StorageProperties(
    Map<String, Account> accounts,
    @DefaultValue("60s") Duration gitTimeout,
    @DefaultValue("5m") Duration gitDeadline) {

  public StorageProperties {
    accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
  }

  /**
   * One storage account.
   *
   * @param path the directory of its shares, mounted at this path on every host and every replica
   *     (an NFS or CephFS mount); each share is a subdirectory
   * @param keySha256 hex SHA-256 of the account's key: groups must send the key, Berth's settings
   *     hold only its hash
   */
  public record Account(Path path, String keySha256) {}
}
