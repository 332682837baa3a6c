package dev.berth.service.containergroup;

/**
 * One of a group's {@code imageRegistryCredentials}: what a pull from {@code server} sends. The
 * password is write-only: stored encrypted, never returned, never logged.
 *
 * @param server the registry's host[:port], without a scheme (ACI's rule)
 */
public record RegistryCredential(String server, String username, String password) {

  /** Never the password: a record's string may end up in a log line. */
  @Override
  public String toString() {
    return "RegistryCredential[server=" + server + ", username=" + username + "]";
  }
}
