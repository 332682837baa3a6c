package dev.berth.service.web;

import dev.berth.api.server.model.ImageRegistryCredential;
import dev.berth.service.containergroup.RegistryCredential;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ACI's {@code imageRegistryCredentials} with ACI's rules: a server is a registry's host[:port]
 * without a scheme, a username and a password are given, and a group has no more credentials than
 * containers. Managed identities (identity, identityUrl) are Azure's and are refused.
 */
final class RegistryCredentialMapping {

  /** host[:port]: DNS names or IPv4 addresses, as Docker's reference grammar has them. */
  private static final Pattern SERVER =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?");

  private RegistryCredentialMapping() {}

  static List<RegistryCredential> credentials(
      List<ImageRegistryCredential> given, int containers, List<Violation> violations) {
    List<RegistryCredential> credentials = new ArrayList<>();
    if (given.size() > containers && containers > 0) {
      violations.add(
          new Violation(
              "MoreImageRegistryCredentialsThanContainers",
              "The container group has "
                  + given.size()
                  + " imageRegistryCredentials but only "
                  + containers
                  + " containers; give at most one credential per container.",
              "properties.imageRegistryCredentials"));
    }
    for (int i = 0; i < given.size(); i++) {
      String at = "properties.imageRegistryCredentials[" + i + "]";
      ImageRegistryCredential c = given.get(i);
      if (c == null) {
        violations.add(new Violation("InvalidRequestContent", at + " must be an object.", at));
        continue;
      }
      int before = violations.size();
      GroupRequestMapper.unsupported(
          c.getIdentity() != null || c.getIdentityUrl() != null,
          at + ".identity",
          "imageRegistryCredentials with a managed identity (identity, identityUrl)",
          violations);
      String server = c.getServer();
      if (server == null || server.isBlank()) {
        violations.add(
            new Violation(
                "InvalidImageRegistryCredential",
                at + ".server is required: the registry's host[:port].",
                at + ".server"));
      } else if (server.contains("://")) {
        violations.add(
            new Violation(
                "InvalidImageRegistryServer",
                "The registry server '"
                    + server
                    + "' must be given without a protocol such as http:// or https:// (e.g."
                    + " myregistry.example.com:5000).",
                at + ".server"));
      } else if (server.length() > 255 || !SERVER.matcher(server).matches()) {
        violations.add(
            new Violation(
                "InvalidImageRegistryServer",
                "The registry server '" + server + "' is not a host[:port] (no path, no spaces).",
                at + ".server"));
      }
      if (c.getUsername() == null || c.getUsername().isBlank()) {
        violations.add(
            new Violation(
                "InvalidImageRegistryCredential", at + ".username is required.", at + ".username"));
      }
      if (c.getPassword() == null || c.getPassword().isEmpty()) {
        violations.add(
            new Violation(
                "InvalidImageRegistryCredential", at + ".password is required.", at + ".password"));
      }
      if (violations.size() == before) {
        credentials.add(new RegistryCredential(server, c.getUsername(), c.getPassword()));
      }
    }
    return credentials;
  }
}
