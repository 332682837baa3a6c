package dev.berth.runtime;

import java.util.Objects;

/**
 * The credential a pull sends to an image's registry (Docker's X-Registry-Auth).
 *
 * @param server the registry's host[:port], without a scheme
 */
public record RegistryAuth(String server, String username, String password) {

  public RegistryAuth {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Never the password: a credential may end up in a log line through its string. */
  @Override
  public String toString() {
    return "RegistryAuth[server=" + server + ", username=" + username + "]";
  }
}
