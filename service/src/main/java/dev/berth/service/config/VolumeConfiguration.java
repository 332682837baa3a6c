package dev.berth.service.config;

import dev.berth.service.volumes.ConfiguredStorageAccounts;
import dev.berth.service.volumes.JGitCheckouts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** gitRepo clones and the storage accounts of azureFile shares. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class VolumeConfiguration {

  @Bean
  ConfiguredStorageAccounts storageAccounts(StorageProperties properties) {
    Map<String, ConfiguredStorageAccounts.Account> accounts = new LinkedHashMap<>();
    properties
        .accounts()
        .forEach(
            (name, account) -> {
              if (account.path() == null || account.keySha256() == null) {
                throw new IllegalStateException(
                    "berth.storage.accounts." + name + " needs both path and key-sha256");
              }
              accounts.put(
                  name, new ConfiguredStorageAccounts.Account(account.path(), account.keySha256()));
            });
    return new ConfiguredStorageAccounts(accounts);
  }

  @Bean
  JGitCheckouts gitCheckouts(StorageProperties properties) {
    return new JGitCheckouts(properties.gitTimeout(), properties.gitDeadline());
  }
}
