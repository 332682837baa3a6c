package dev.berth.service.images;

import dev.berth.runtime.RegistryAuth;
import dev.berth.service.containergroup.RegistryCredential;
import java.util.List;
import java.util.Optional;

/** Which of a group's credentials a pull of an image sends (ACI: the one whose server matches). */
public final class RegistryCredentials {

  private RegistryCredentials() {}

  /**
   * The credential whose {@code server} is the image's registry host[:port] (case does not matter;
   * Docker Hub's aliases are one registry), or empty: the pull then sends none.
   */
  public static Optional<RegistryAuth> forImage(
      ImageReference image, List<RegistryCredential> credentials) {
    return credentials.stream()
        .filter(c -> ImageReference.normalRegistry(c.server()).equals(image.registry()))
        .findFirst()
        .map(c -> new RegistryAuth(c.server(), c.username(), c.password()));
  }
}
